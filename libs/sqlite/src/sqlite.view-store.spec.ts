import { SessionListQuery, ViewStore } from '@app/ports';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectionOf, uniqueSessionId } from '../../../test/contracts/contract-support';
import { realisticProjection } from '../../../test/factories/session-events';
import { SqliteDatabase } from './sqlite.database';
import { SqliteViewGenerations } from './sqlite.view-generations';

const ME = 'user-me';

describe('SqliteViewStore view texts', () => {
  let dataDir: string;
  let database: SqliteDatabase;
  let store: ViewStore;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sqlite-view-texts-'));
    database = SqliteDatabase.open(dataDir);
    const generations = new SqliteViewGenerations(database);
    store = generations.store(await generations.active());
  });

  afterAll(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers the page of list with each view as the JSON text JSON.stringify gives, and its cursor place', async () => {
    const agent = uniqueSessionId('agent');
    const projections = [
      realisticProjection(uniqueSessionId(), ME, agent),
      projectionOf(uniqueSessionId(), { userId: ME, agentId: agent, updatedAt: 5, run: 'running' }),
    ];
    await store.writeMany(projections.map((projection) => ({ projection, expectedVersion: null })));
    for (const order of ['created', 'updated'] as const) {
      const query: SessionListQuery = { userId: ME, agentId: agent, limit: 50, offset: 0, order };
      const parsed = await store.list(query);
      const texts = await store.listViewTexts(query);
      expect(texts.total).toBe(parsed.total);
      expect(texts.items).toEqual(
        parsed.items.map((projection) => ({
          sessionId: projection.session_id,
          version: projection.version,
          userId: ME,
          deleted: false,
          position: {
            order,
            at: order === 'created' ? projection.view.session.created_at : projection.view.session.updated_at,
            sessionId: projection.session_id,
          },
          viewJson: JSON.stringify(projection.view),
        })),
      );
    }
  });

  it('answers get with the view text, and the tombstone from the stored projection', async () => {
    const deleted = projectionOf(uniqueSessionId(), { userId: ME, agentId: 'agent', deleted: true });
    await store.writeMany([{ projection: deleted, expectedVersion: null }]);
    expect(await store.getViewText(deleted.session_id, ME)).toEqual({
      sessionId: deleted.session_id,
      version: deleted.version,
      userId: ME,
      deleted: true,
      viewJson: JSON.stringify(deleted.view),
    });
    expect(await store.getViewText(deleted.session_id, 'user-other')).toBeNull();
  });
});
