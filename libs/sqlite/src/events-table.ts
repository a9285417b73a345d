import { SessionEvent, instantKey } from '@app/domain';
import { ArchiveAppendResult, classifyArchiveAppend } from '@app/ports';
import { Connection, SqliteDatabase } from './sqlite.database';

// The `events` table serves as both the embedded event log and the embedded archive, so both adapters append
// through here and agree on what a duplicate and a conflict are.

interface StoredIdentity {
  event_id: string;
  session_id: string;
  seq: number;
}

interface StoredEvent extends StoredIdentity {
  position: number;
  event: string;
}

export interface EventsInsertResult extends ArchiveAppendResult {
  /** The highest position of the batch's events, whether stored now or held already; 0 when none is held. */
  lastPosition: number;
}

/**
 * Inserts the events that are new, in order, and sorts out the others by the archive's one rule
 * (classifyArchiveAppend): the same event is a redelivery, any other collision a conflict naming the event that
 * holds the key. Runs on the caller's transaction, so a caller that refuses conflicts can roll the whole batch back.
 */
export function insertEvents(
  database: SqliteDatabase,
  connection: Connection,
  events: readonly SessionEvent[],
): EventsInsertResult {
  const byEventId = database.statement(
    connection,
    'SELECT position, event_id, session_id, seq, event FROM events WHERE event_id = ?',
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
  const result: EventsInsertResult = { stored: 0, duplicates: 0, conflicts: [], lastPosition: 0 };
  const recordedAtMs = Date.now();
  for (const event of events) {
    const withEventId = byEventId.get(event.event_id) as StoredEvent | undefined;
    const verdict = classifyArchiveAppend(event, {
      withEventId: withEventId && { ...withEventId, content: () => JSON.parse(withEventId.event) as unknown },
      // The place is looked up only when the id is free: an id held anywhere decides the answer by itself.
      atPlace: withEventId
        ? undefined
        : (byPosition.get(event.session_id, event.seq) as StoredIdentity | undefined),
    });
    if (verdict.kind === 'conflict') {
      result.conflicts.push({ event, reason: verdict.reason, existingEventId: verdict.existingEventId });
    } else if (verdict.kind === 'duplicate') {
      result.duplicates += 1;
      result.lastPosition = Math.max(result.lastPosition, withEventId!.position);
    } else {
      const { lastInsertRowid } = insert.run(
        event.event_id,
        event.session_id,
        event.seq,
        instantKey(event.occurred_at),
        recordedAtMs,
        JSON.stringify(event),
      );
      result.stored += 1;
      result.lastPosition = Math.max(result.lastPosition, Number(lastInsertRowid));
    }
  }
  return result;
}
