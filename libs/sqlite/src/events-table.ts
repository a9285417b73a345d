import { eventRulesFingerprint, SessionEvent, instantKey } from '@app/domain';
import { ArchiveAppendResult, ArchiveVerdict, classifyArchiveAppend } from '@app/ports';
import { Connection, SqliteDatabase } from './sqlite.database';
import { SqliteStoreError, SqliteStoreErrorCode } from './sqlite-store.error';

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
 *
 * Each event is first inserted with its unique keys left to SQLite (ON CONFLICT DO NOTHING): a new event costs that
 * one statement, and only one that collided is looked up, its verdict the same since nothing was written for it.
 *
 * Every caller appends events parseSessionEvent accepted (ingest and the emitter validate before appending, the
 * projector archives what it decoded), so each row records the rules that did (`validated_by`), which lets the
 * tailer take this build's rows as they are.
 */
export function insertEvents(
  database: SqliteDatabase,
  connection: Connection,
  events: readonly SessionEvent[],
): EventsInsertResult {
  const insert = database.statement(
    connection,
    `INSERT INTO events (event_id, session_id, seq, occurred_at_key, recorded_at_ms, event, validated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const result: EventsInsertResult = { stored: 0, duplicates: 0, conflicts: [], lastPosition: 0 };
  const recordedAtMs = Date.now();
  const validatedBy = eventRulesFingerprint();
  for (const event of events) {
    const { changes, lastInsertRowid } = insert.run(
      event.event_id,
      event.session_id,
      event.seq,
      instantKey(event.occurred_at),
      recordedAtMs,
      JSON.stringify(event),
      validatedBy,
    );
    if (changes === 1) {
      result.stored += 1;
      result.lastPosition = Math.max(result.lastPosition, Number(lastInsertRowid));
      continue;
    }
    const { verdict, position } = classifyCollision(database, connection, event);
    if (verdict.kind === 'conflict') {
      result.conflicts.push({ event, reason: verdict.reason, existingEventId: verdict.existingEventId });
    } else {
      result.duplicates += 1;
      result.lastPosition = Math.max(result.lastPosition, position);
    }
  }
  return result;
}

/** Why `event` could not be inserted: the row holding its event_id, or else its place, decides. */
function classifyCollision(
  database: SqliteDatabase,
  connection: Connection,
  event: SessionEvent,
): { verdict: ArchiveVerdict; position: number } {
  const withEventId = database
    .statement(connection, 'SELECT position, event_id, session_id, seq, event FROM events WHERE event_id = ?')
    .get(event.event_id) as StoredEvent | undefined;
  const verdict = classifyArchiveAppend(event, {
    withEventId: withEventId && { ...withEventId, content: () => JSON.parse(withEventId.event) as unknown },
    // The place is looked up only when the id is free: an id held anywhere decides the answer by itself.
    atPlace: withEventId
      ? undefined
      : (database
          .statement(
            connection,
            'SELECT event_id, session_id, seq FROM events WHERE session_id = ? AND seq = ?',
          )
          .get(event.session_id, event.seq) as StoredIdentity | undefined),
  });
  if (verdict.kind === 'new') {
    throw new SqliteStoreError(
      SqliteStoreErrorCode.UnexplainedConflict,
      `the events table refused event ${event.event_id}, yet no row holds its keys`,
    );
  }
  return { verdict, position: withEventId?.position ?? 0 };
}
