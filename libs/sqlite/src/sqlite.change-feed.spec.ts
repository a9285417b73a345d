import { isInvalidChangePosition, PositionedViewChange, viewChangeOf } from '@app/ports';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectionOf, uniqueSessionId } from '../../../test/contracts/contract-support';
import { SCOPED_BACKLOG, SqliteChangeFeed } from './sqlite.change-feed';
import { SqliteDatabase } from './sqlite.database';

describe(SqliteChangeFeed.name, () => {
  let dataDir: string;
  let database: SqliteDatabase;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sqlite-change-feed-'));
    database = SqliteDatabase.open(dataDir);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const publishSessions = async (feed: SqliteChangeFeed, count: number, spec = {}) => {
    const changes = Array.from({ length: count }, () => viewChangeOf(projectionOf(uniqueSessionId(), spec)));
    await feed.publish(changes);
    return changes;
  };

  it("reads a scoped replay through the scope's index, not the whole table", () => {
    const plan = database.read((connection) =>
      connection.prepare(`EXPLAIN QUERY PLAN ${SCOPED_BACKLOG}`).all('user', 'agent', 0, 200),
    ) as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING INDEX changes_by_scope/);
  });

  it('replays a long backlog in pages, letting the event loop turn between them', async () => {
    const feed = new SqliteChangeFeed(database);
    await publishSessions(feed, 1_000);
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    const received: PositionedViewChange[] = [];
    const subscription = await feed.subscribe({ after: '0' }, (change) => received.push(change));
    clearInterval(ticking);
    await subscription.close();
    expect(received).toHaveLength(1_000);
    expect(turns).toBeGreaterThan(0);
  });

  it("replays only the scope's changes however many other users' there are", async () => {
    const feed = new SqliteChangeFeed(database);
    const scope = { userId: uniqueSessionId('user'), agentId: uniqueSessionId('agent') };
    await publishSessions(feed, 500);
    const mine = await publishSessions(feed, 3, scope);
    await publishSessions(feed, 500);
    const received: PositionedViewChange[] = [];
    const subscription = await feed.subscribe({ after: '0', scope }, (change) => received.push(change));
    await subscription.close();
    expect(received.map((change) => change.session_id)).toEqual(mine.map((change) => change.session_id));
  });

  it('refuses a position further back than its replay window, as it refuses one it never handed out', async () => {
    const feed = new SqliteChangeFeed(database, 10);
    await publishSessions(feed, 30);
    for (const after of ['0', '19', '31', '999']) {
      const error = await feed
        .subscribe({ after }, () => undefined)
        .then(
          (subscription) => subscription.close(),
          (failure: unknown) => failure,
        );
      expect([after, isInvalidChangePosition(error)]).toEqual([after, true]);
    }
    const subscription = await feed.subscribe({ after: '20' }, () => undefined);
    await subscription.close();
  });
});
