import { spawnApp } from '../support/app-output';
import { freePort } from '../support/store-process';
import { mongoTargets, uniqueName } from '../support/infra';

/** The production apps with their store up and their broker gone: one line naming KAFKA_BROKERS, then exit 1. */
describe('start-up with the broker unreachable', () => {
  it.each(['projector', 'query-api'] as const)('%s names KAFKA_BROKERS in one line', async (app) => {
    const closed = await freePort();
    const run = spawnApp(app, {
      HTTP_PORT: '0',
      KAFKA_BROKERS: `127.0.0.1:${closed}`,
      MONGODB_URI: mongoTargets()[0].uri,
      MONGODB_DATABASE: uniqueName('startup'),
    });
    expect(await run.exit()).toBe(1);
    expect(run.lines()).toEqual([
      expect.stringMatching(
        new RegExp(
          `ERROR \\[\\w+\\] KAFKA_BROKERS 127\\.0\\.0\\.1:${closed} failed \\(.*ECONNREFUSED.*\\): check KAFKA_BROKERS`,
        ),
      ),
    ]);
  });
});
