import { loadConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { SqliteDatabase, SqliteEventLog } from '@app/sqlite';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreModule } from '../../apps/store/src/store.module';
import { eventually, uniqueSessionId } from '../contracts/contract-support';
import { realisticHistory } from '../factories/session-events';
import { startHttpTestApp } from '../support/http-test-app';

const INGEST_TOKEN = 'disk-full-token-0123456789';

/**
 * The store's file stops growing as a full disk stops it. SQLite answers a write that needs a page beyond
 * `max_page_count` with the very error a full disk gives (SQLITE_FULL, "database or disk is full"), through the same
 * rollback, so capping the write connection at its current size is a faithful full disk that needs no root, no
 * tmpfs and no filling of a shared disk. The connection is private to the store; the test reaches it on purpose.
 */
function capGrowth(app: NestFastifyApplication, pages: number | 'current'): void {
  const writer = (app.get(SqliteDatabase) as unknown as { writer: Database.Database }).writer;
  const limit = pages === 'current' ? (writer.pragma('page_count', { simple: true }) as number) : pages;
  writer.pragma(`max_page_count = ${limit}`);
}

describe('the embedded store when its disk is full', () => {
  let dataDir: string;
  let app: NestFastifyApplication;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'store-full-'));
    app = await startHttpTestApp([
      StoreModule.forRoot(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', INGEST_TOKEN })),
    ]);
  });
  afterEach(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ingest = (events: SessionEvent[]) =>
    app.inject({
      method: 'POST',
      url: '/sessions/events',
      headers: { authorization: `Bearer ${INGEST_TOKEN}` },
      payload: { events },
    });
  const ready = () => app.inject({ method: 'GET', url: '/health/ready' });
  const logged = () =>
    new Set(
      app
        .get(SqliteEventLog)
        .readAfter(0, 100_000)
        .map((entry) => (JSON.parse(entry.payload.toString('utf8')) as SessionEvent).event_id),
    );

  it('refuses ingest with 507 naming the cause, reports it in readiness, and loses nothing it acknowledged', async () => {
    const acknowledged: SessionEvent[] = [];
    const accept = async () => {
      const events = realisticHistory(uniqueSessionId('full'));
      const response = await ingest(events);
      if (response.statusCode === 202) acknowledged.push(...events);
      return response;
    };
    expect((await accept()).statusCode).toBe(202);

    capGrowth(app, 'current');
    let refused;
    // Free pages inside the file absorb a few batches first; the bound only ends a loop that never fills.
    for (let attempt = 0; attempt < 500 && !refused; attempt += 1) {
      const response = await accept();
      if (response.statusCode !== 202) refused = response;
    }
    expect(refused?.statusCode).toBe(507);
    expect(refused?.json().detail).toMatch(/out of disk space/);
    const whileFull = await ready();
    expect(whileFull.statusCode).toBe(503);
    expect(whileFull.json().checks['store-space']).toMatch(/failed: writes refused since .* is full/);

    capGrowth(app, 1_000_000_000);
    expect((await accept()).statusCode).toBe(202);
    await eventually(async () => expect((await ready()).statusCode).toBe(200));
    const stored = logged();
    expect(acknowledged.filter(({ event_id }) => !stored.has(event_id))).toEqual([]);
  });
});
