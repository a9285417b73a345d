import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { MongoEventArchive } from '@app/mongo';
import { mongoTargets, uniqueName } from '../support/infra';
import { childEnvironment } from '../support/child-environment';

const ROOT = resolve(__dirname, '..', '..');

/** The CLI on MongoDB with MONGODB_URI alone: no KAFKA_BROKERS in its environment. */
function cli(uri: string, database: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'test/support/register-typescript.js'), join(ROOT, 'apps/cli/src/main.ts'), ...args],
    { env: childEnvironment({ MONGODB_URI: uri, MONGODB_DATABASE: database }), encoding: 'utf8' },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.each(mongoTargets())('cli on $name', ({ uri }) => {
  const database = uniqueName('cli');
  let client: MongoClient;
  beforeAll(async () => (client = await MongoClient.connect(uri)));
  afterAll(async () => {
    await client.db(database).dropDatabase();
    await client.close();
  });

  it('refuses a database that holds no store, naming it, and creates nothing', async () => {
    const refused = cli(uri, database, 'generations');
    expect([refused.code, refused.stderr]).toEqual([
      2,
      expect.stringContaining(
        `no store in database ${database} at ${uri}: check MONGODB_URI and MONGODB_DATABASE`,
      ),
    ]);
    expect(await client.db(database).listCollections().toArray()).toEqual([]);
  });

  it('reads a store with MONGODB_URI alone, and fails verify while it is empty', async () => {
    await MongoEventArchive.open(client.db(database));
    const generations = cli(uri, database, 'generations', '--json');
    expect(generations.code).toBe(0);
    expect(JSON.parse(generations.stdout)).toEqual({
      active: expect.any(String),
      generations: expect.any(Array),
    });
    const verify = cli(uri, database, 'verify');
    expect([verify.code, verify.stdout]).toEqual([1, expect.stringContaining('the store holds no events')]);
    expect(cli(uri, database, 'verify', '--allow-empty').code).toBe(0);
  });
});
