import { Injectable } from '@nestjs/common';
import { assertNever, canonicalJson, SessionEvent } from '@app/domain';
import { RequestValidationError, ValidationIssue } from '@app/http';
import {
  ArchiveConflict,
  EventLog,
  EventLogConflictError,
  formatPositionToken,
  LogPosition,
} from '@app/ports';
import { eventLoc, parseIngestBatch } from './ingest-batch';

export interface IngestReceipt {
  /** Events now durable in the log, counting those it already held (a retried batch is acknowledged again). */
  accepted: number;
  /** The log position just past the batch: a read with it as `min_position` shows every event of the batch. */
  position: string;
}

/** Validates a batch of session events and appends it to the event log, whole or not at all. */
@Injectable()
export class IngestService {
  constructor(private readonly log: EventLog) {}

  async ingest(body: unknown): Promise<IngestReceipt> {
    const events = parseIngestBatch(body);
    let position: LogPosition;
    try {
      position = await this.log.append(events);
    } catch (error) {
      if (error instanceof EventLogConflictError)
        throw new RequestValidationError(conflictIssues(events, error));
      throw error;
    }
    return { accepted: events.length, position: formatPositionToken(position) };
  }
}

function conflictIssues(events: readonly SessionEvent[], error: EventLogConflictError): ValidationIssue[] {
  const indexOf = new Map(events.map((event, index) => [canonicalJson(event), index]));
  return error.conflicts.map((conflict) =>
    conflictIssue(indexOf.get(canonicalJson(conflict.event))!, conflict),
  );
}

function conflictIssue(index: number, { event, reason, existingEventId }: ArchiveConflict): ValidationIssue {
  switch (reason) {
    case 'seq_taken':
      return {
        type: 'seq_taken',
        loc: eventLoc(index, 'seq'),
        msg: `seq ${event.seq} of session ${event.session_id} is already held by event ${existingEventId}`,
        input: event.seq,
      };
    case 'event_id_taken':
      return {
        type: 'event_id_taken',
        loc: eventLoc(index, 'event_id'),
        msg: `event_id ${event.event_id} is already held by an event at another session or seq`,
        input: event.event_id,
      };
    case 'content_differs':
      return {
        type: 'event_id_taken',
        loc: eventLoc(index, 'event_id'),
        msg: `event_id ${event.event_id} is already stored with different content: a retry must resend the same event`,
        input: event.event_id,
      };
    default:
      return assertNever(reason);
  }
}
