import { FieldError } from './field-error';
import { SessionEventType, isSessionEventType } from './session-event';

// Old events stay in the log as they were written; upcasting rewrites a raw event into the current shape
// before validation, so the DTOs and the fold know only the current schema.

export const CURRENT_SCHEMA_VERSION = 3;

type DataUpcast = (data: unknown) => unknown;

/**
 * The step from version N to N + 1 of one type's data, keyed by type and N. A type without a step at N
 * kept its shape, and only its version number moves on.
 */
const UPCASTS: Partial<Record<SessionEventType, Record<number, DataUpcast>>> = {
  'session.run_stopped': { 1: addRunStopReason },
  'session.state_updated': { 2: dropNullReplyId },
};

export type UpcastResult = { ok: true; event: Record<string, unknown> } | { ok: false; error: FieldError };

/** Leaves malformed envelopes as they are, for validation to report. Never mutates `event`. */
export function upcastSessionEvent(event: Record<string, unknown>): UpcastResult {
  const { type, schema_version: version } = event;
  if (!isSessionEventType(type) || !Number.isInteger(version) || (version as number) < 1) {
    return { ok: true, event };
  }
  if ((version as number) > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      error: {
        path: 'schema_version',
        message: `schema_version ${version} is newer than the newest known version ${CURRENT_SCHEMA_VERSION}`,
      },
    };
  }
  let data = event.data;
  for (let from = version as number; from < CURRENT_SCHEMA_VERSION; from += 1) {
    const step = UPCASTS[type]?.[from];
    if (step) data = step(data);
  }
  return { ok: true, event: { ...event, schema_version: CURRENT_SCHEMA_VERSION, data } };
}

/** v1 of session.run_stopped said only whether the run failed (`error`); v2 names why the run stopped. */
function addRunStopReason(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const { error, ...rest } = data as Record<string, unknown>;
  return { ...rest, reason: error === undefined || error === null ? 'completed' : 'failed' };
}

/** v2 of session.state_updated allowed `reply_id: null`; v3 keeps `state.reply_id` a string, so null changes nothing. */
function dropNullReplyId(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const { reply_id: replyId, ...rest } = data as Record<string, unknown>;
  return replyId === null ? rest : data;
}
