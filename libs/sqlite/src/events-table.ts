import { canonicalJson, SessionEvent, instantKey } from '@app/domain';
import { ArchiveAppendResult, ArchiveConflict } from '@app/ports';
import { Connection, SqliteDatabase } from './sqlite.database';

// The `events` table serves as both the embedded event log and the embedded archive, so both adapters append
// through here and agree on what a duplicate and a conflict are.

interface StoredIdentity {
  event_id: string;
  session_id: string;
  seq: number;
}

interface StoredEvent extends StoredIdentity {
  event: string;
}

/**
 * Inserts the events that are new, in order, and sorts out the others: the same event (id, session, seq and
 * content) is a redelivery; any other collision on either unique key is a conflict naming the event that holds it. Runs
 * on the caller's transaction, so a caller that refuses conflicts can roll the whole batch back.
 */
export function insertEvents(
  database: SqliteDatabase,
  connection: Connection,
  events: readonly SessionEvent[],
): ArchiveAppendResult {
  const byEventId = database.statement(
    connection,
    'SELECT event_id, session_id, seq, event FROM events WHERE event_id = ?',
  );
  const byPosition = database.statement(
    connection,
    'SELECT event_id, session_id, seq FROM events WHERE session_id = ? AND seq = ?',
  );
  const insert = database.statement(
    connection,
    `INSERT INTO events (event_id, session_id, seq, occurred_at_key, recorded_at_ms, event)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const result: ArchiveAppendResult = { stored: 0, duplicates: 0, conflicts: [] };
  const recordedAtMs = Date.now();
  for (const event of events) {
    const sameId = byEventId.get(event.event_id) as StoredEvent | undefined;
    if (sameId) {
      if (sameId.session_id !== event.session_id || sameId.seq !== event.seq) {
        result.conflicts.push(conflict(event, 'event_id_taken', sameId));
      } else if (canonicalJson(JSON.parse(sameId.event)) !== canonicalJson(event)) {
        result.conflicts.push(conflict(event, 'content_differs', sameId));
      } else {
        result.duplicates += 1;
      }
      continue;
    }
    const samePosition = byPosition.get(event.session_id, event.seq) as StoredIdentity | undefined;
    if (samePosition) {
      result.conflicts.push(conflict(event, 'seq_taken', samePosition));
      continue;
    }
    insert.run(
      event.event_id,
      event.session_id,
      event.seq,
      instantKey(event.occurred_at),
      recordedAtMs,
      JSON.stringify(event),
    );
    result.stored += 1;
  }
  return result;
}

function conflict(
  event: SessionEvent,
  reason: ArchiveConflict['reason'],
  holder: StoredIdentity,
): ArchiveConflict {
  return { event, reason, existingEventId: holder.event_id };
}
