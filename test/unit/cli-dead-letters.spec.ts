import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProjectionEngine, ProjectorMetrics } from '@app/projection';
import {
  SqliteChangeFeed,
  SqliteDatabase,
  SqliteDeadLetterSink,
  SqliteEventArchive,
  SqliteViewGenerations,
} from '@app/sqlite';
import { Registry } from 'prom-client';
import { realisticHistory } from '../factories/session-events';
import { childEnvironment } from '../support/child-environment';

const ROOT = resolve(__dirname, '..', '..');

function cli(dataDir: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'test/support/register-typescript.js'), join(ROOT, 'apps/cli/src/main.ts'), ...args],
    { env: childEnvironment({ DATA_DIR: dataDir }), encoding: 'utf8', timeout: 120_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs records through the projection engine on the store's file, as the embedded projector would. */
async function project(dataDir: string, values: string[], key: string): Promise<void> {
  const database = SqliteDatabase.open(dataDir);
  try {
    const engine = new ProjectionEngine(
      new SqliteEventArchive(database),
      new SqliteViewGenerations(database),
      new SqliteChangeFeed(database),
      new SqliteDeadLetterSink(database),
      new ProjectorMetrics(new Registry()),
    );
    await engine.process(
      values.map((value, offset) => ({
        key,
        value: Buffer.from(value),
        source: { topic: 'events', offset: String(offset) },
      })),
    );
  } finally {
    await database.close();
  }
}

// Bounds a hang only: each command is a process that compiles the CLI from its sources.
jest.setTimeout(180_000);

describe('cli dead letters on the embedded store', () => {
  let dataDir: string;
  const [created, started] = realisticHistory('cli-dead', 'user-1', 'agent-1');

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-dead-letters-'));
    // A run that starts before its session was created: the fold rejects it.
    await project(dataDir, [JSON.stringify(started)], 'cli-dead');
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists and shows a dead letter, re-drives it (failing again, then projected once fixed)', async () => {
    const listed = cli(dataDir, 'dead-letters', '--json');
    expect(listed.code).toBe(0);
    const [letter] = JSON.parse(listed.stdout) as { id: string; reason: string; payload: string }[];
    expect(letter).toMatchObject({ reason: 'fold_rejected', payload: JSON.stringify(started) });

    const shown = cli(dataDir, 'dead-letter', letter.id, '--json');
    expect([shown.code, JSON.parse(shown.stdout).id]).toEqual([0, letter.id]);
    expect(cli(dataDir, 'dead-letter', '999').code).toBe(1);

    const again = cli(dataDir, 'redrive', letter.id);
    expect([again.code, again.stdout]).toEqual([
      1,
      expect.stringContaining('dead_lettered_again (fold_rejected)'),
    ]);
    const [second] = JSON.parse(cli(dataDir, 'dead-letters', '--json').stdout) as { id: string }[];
    expect(second.id).not.toBe(letter.id);

    await project(dataDir, [JSON.stringify(created)], 'cli-dead');
    const fixed = cli(dataDir, 'redrive', second.id);
    expect([fixed.code, fixed.stdout]).toEqual([0, expect.stringContaining(`${second.id}: projected`)]);
    expect(JSON.parse(cli(dataDir, 'dead-letters', '--json').stdout)).toEqual([]);
  });

  it('refuses verify-log on the embedded profile, whose log is its archive', () => {
    const refused = cli(dataDir, 'verify-log');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/log and its archive in one table/);
  });
});
