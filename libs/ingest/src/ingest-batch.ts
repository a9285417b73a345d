import { assertNever, FieldError, parseSessionEvent, SessionEvent } from '@app/domain';
import { ArchiveConflictReason, archivePlaceKey, classifyArchiveAppend } from '@app/ports';
import { RequestValidationError, ValidationIssue } from '@app/http';
import { MAX_EVENTS_PER_BATCH } from './ingest-limits';

/** Where an event sat in the request body, for issues that point at it. */
export const eventLoc = (index: number, ...path: (string | number)[]) => ['body', 'events', index, ...path];

/**
 * The events of an ingest request body `{"events": [...]}`, every one valid, or a RequestValidationError listing
 * every problem of every event (FastAPI's 422 shape, `loc` pointing into the body): a batch is taken whole or not
 * at all, so the client learns everything it must fix at once.
 */
export function parseIngestBatch(body: unknown): SessionEvent[] {
  const events = batchEvents(body);
  const parsed: SessionEvent[] = [];
  const issues: ValidationIssue[] = [];
  events.forEach((input, index) => {
    const result = parseSessionEvent(input);
    if (result.ok) parsed.push(result.event);
    else issues.push(...result.errors.map((error) => fieldIssue(index, input, error)));
  });
  if (issues.length === 0) issues.push(...collisionsWithin(parsed));
  if (issues.length > 0) throw new RequestValidationError(issues);
  return parsed;
}

function batchEvents(body: unknown): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestValidationError([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: body ?? null,
      },
    ]);
  }
  const events = (body as Record<string, unknown>).events;
  const issue = batchIssue(events);
  if (issue) throw new RequestValidationError([issue]);
  return events as unknown[];
}

function batchIssue(events: unknown): ValidationIssue | undefined {
  const loc = ['body', 'events'];
  if (events === undefined) return { type: 'missing', loc, msg: 'Field required', input: null };
  if (!Array.isArray(events))
    return { type: 'list_type', loc, msg: 'Input should be a valid list', input: events };
  if (events.length === 0) {
    return {
      type: 'too_short',
      loc,
      msg: 'List should have at least 1 item after validation, not 0',
      input: events,
      ctx: { field_type: 'List', min_length: 1, actual_length: 0 },
    };
  }
  if (events.length > MAX_EVENTS_PER_BATCH) {
    return {
      type: 'too_long',
      loc,
      msg: `List should have at most ${MAX_EVENTS_PER_BATCH} items after validation, not ${events.length}`,
      // The whole list would echo megabytes back; its length is what the client needs.
      input: null,
      ctx: { field_type: 'List', max_length: MAX_EVENTS_PER_BATCH, actual_length: events.length },
    };
  }
  return undefined;
}

function fieldIssue(index: number, event: unknown, error: FieldError): ValidationIssue {
  const path = pathSegments(error.path);
  const input = valueAt(event, path);
  if (input === undefined)
    return { type: 'missing', loc: eventLoc(index, ...path), msg: 'Field required', input: null };
  return { type: 'value_error', loc: eventLoc(index, ...path), msg: `Value error, ${error.message}`, input };
}

/** `data.items[0].usage` -> ['data', 'items', 0, 'usage']; '' is the event itself. */
function pathSegments(path: string): (string | number)[] {
  if (path === '') return [];
  return path
    .split(/\.|(?=\[)/)
    .map((segment) => (/^\[\d+\]$/.test(segment) ? Number(segment.slice(1, -1)) : segment));
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * Two events of one batch claiming the same (session_id, seq) or the same event_id: the log could keep only one,
 * so the batch is refused before anything is appended. Each event is judged against the earlier events of the batch
 * by the archive's own rule (classifyArchiveAppend), so a batch and the store answer a collision alike; an event
 * repeated verbatim is a harmless retry, not this.
 */
function collisionsWithin(events: readonly SessionEvent[]): ValidationIssue[] {
  const byPosition = new Map<string, number>();
  const byEventId = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  events.forEach((event, index) => {
    const position = archivePlaceKey(event.session_id, event.seq);
    const sameId = byEventId.get(event.event_id);
    const samePosition = byPosition.get(position);
    const verdict = classifyArchiveAppend(event, {
      withEventId: sameId === undefined ? undefined : { ...events[sameId], content: () => events[sameId] },
      atPlace: samePosition === undefined ? undefined : events[samePosition],
    });
    switch (verdict.kind) {
      case 'new':
        byPosition.set(position, index);
        byEventId.set(event.event_id, index);
        return;
      case 'duplicate':
        return;
      case 'conflict':
        issues.push(
          collisionIssue(
            event,
            index,
            verdict.reason,
            verdict.reason === 'seq_taken' ? samePosition! : sameId!,
          ),
        );
        return;
      default:
        return assertNever(verdict);
    }
  });
  return issues;
}

function collisionIssue(
  event: SessionEvent,
  index: number,
  reason: ArchiveConflictReason,
  holderIndex: number,
): ValidationIssue {
  switch (reason) {
    case 'seq_taken':
      return {
        type: 'seq_taken',
        loc: eventLoc(index, 'seq'),
        msg: `seq ${event.seq} of session ${event.session_id} is also claimed by events[${holderIndex}]`,
        input: event.seq,
      };
    case 'content_differs':
      return {
        type: 'event_id_taken',
        loc: eventLoc(index, 'event_id'),
        msg: `event_id ${event.event_id} is also used by events[${holderIndex}] with different content`,
        input: event.event_id,
      };
    case 'event_id_taken':
      return {
        type: 'event_id_taken',
        loc: eventLoc(index, 'event_id'),
        msg: `event_id ${event.event_id} is also used by events[${holderIndex}] at another session or seq`,
        input: event.event_id,
      };
    default:
      return assertNever(reason);
  }
}
