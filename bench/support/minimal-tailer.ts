import { applyEvent, SessionEvent, SessionProjection } from '@app/domain';
import Database from 'better-sqlite3';
import { Advance } from './measure';

/** Events one transaction projects, as the store's tailer does by default (PROJECTOR_BATCH_SIZE). */
const BATCH = 500;

/**
 * The ceiling of the embedded catch-up: the tailer's necessary work on a log of `events` rows (position, event JSON)
 * written as plainly as possible. Per batch, in one transaction under the store's durability settings: read the
 * next rows by position, parse them, read their sessions' views, fold with the project's own fold, write the views,
 * one change row per touched session, and the new position.
 */
export function runMinimalTailer(database: Database.Database, advance: Advance): void {
  database.exec(`
    CREATE TABLE views (session_id TEXT PRIMARY KEY, version INTEGER NOT NULL, view TEXT NOT NULL);
    CREATE TABLE changes (session_id TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL);
    CREATE TABLE tailer (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL);
    INSERT INTO tailer (id, position) VALUES (1, 0);
  `);
  const position = database.prepare<[], { position: number }>('SELECT position FROM tailer WHERE id = 1');
  const next = database.prepare<[number, number], { position: number; event: string }>(
    'SELECT position, event FROM events WHERE position > ? ORDER BY position LIMIT ?',
  );
  const view = database.prepare<[string], { view: string }>('SELECT view FROM views WHERE session_id = ?');
  const writeView = database.prepare(
    'INSERT INTO views (session_id, version, view) VALUES (?, ?, ?) ' +
      'ON CONFLICT (session_id) DO UPDATE SET version = excluded.version, view = excluded.view',
  );
  const writeChange = database.prepare(
    'INSERT INTO changes (session_id, position, version) VALUES (?, ?, ?) ' +
      'ON CONFLICT (session_id) DO UPDATE SET position = excluded.position, version = excluded.version',
  );
  const moveTo = database.prepare('UPDATE tailer SET position = ? WHERE id = 1');

  const projectBatch = database.transaction((): number => {
    const rows = next.all(position.get()!.position, BATCH);
    if (rows.length === 0) return 0;
    const projections = new Map<string, SessionProjection | undefined>();
    const touched = new Set<string>();
    for (const row of rows) {
      const event = JSON.parse(row.event) as SessionEvent;
      if (!projections.has(event.session_id)) {
        const stored = view.get(event.session_id);
        projections.set(
          event.session_id,
          stored ? (JSON.parse(stored.view) as SessionProjection) : undefined,
        );
      }
      const outcome = applyEvent(projections.get(event.session_id), event);
      if (outcome.kind !== 'applied') continue;
      projections.set(event.session_id, outcome.projection);
      touched.add(event.session_id);
    }
    const last = rows[rows.length - 1].position;
    for (const sessionId of touched) {
      const projection = projections.get(sessionId)!;
      writeView.run(sessionId, projection.version, JSON.stringify(projection));
      writeChange.run(sessionId, last, projection.version);
    }
    moveTo.run(last);
    return rows.length;
  });

  for (;;) {
    const projected = projectBatch();
    if (projected === 0) return;
    advance(projected);
  }
}
