import { FieldError, SessionEvent } from '@app/domain';

export enum EmitterErrorCode {
  /** The event does not pass the contract's validation; nothing was sent and no seq was used. */
  InvalidEvent = 'invalid_event',
  /** The event's JSON is larger than one log record may be; nothing was sent and no seq was used. */
  EventTooLarge = 'event_too_large',
  /** The session is not open on this emitter: open or resume it first. */
  SessionNotOwned = 'session_not_owned',
  /** The session is already open on this emitter; opening it again would restart its seqs at 1. */
  SessionAlreadyOwned = 'session_already_owned',
  /** Resuming below a seq this emitter already had acknowledged would hand out taken seqs again. */
  SeqRegression = 'seq_regression',
  /** An earlier send of the session failed; sending later seqs first would bury it behind them. */
  SessionBlocked = 'session_blocked',
  /** The log did not acknowledge the event; it may or may not have been written. */
  SendFailed = 'send_failed',
}

export class EmitterError extends Error {
  constructor(
    readonly code: EmitterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidEventError extends EmitterError {
  constructor(readonly fieldErrors: readonly FieldError[]) {
    super(
      EmitterErrorCode.InvalidEvent,
      `invalid session event: ${fieldErrors.map(({ path, message }) => `${path || '(event)'}: ${message}`).join('; ')}`,
    );
  }
}

/** Emitting would give a seq that another event holds or skip one; the session's seqs stay as they were. */
export class SeqConflictError extends EmitterError {
  constructor(
    code:
      | EmitterErrorCode.SessionNotOwned
      | EmitterErrorCode.SessionAlreadyOwned
      | EmitterErrorCode.SeqRegression
      | EmitterErrorCode.SessionBlocked,
    readonly sessionId: string,
    message: string,
  ) {
    super(code, message);
  }
}

/**
 * The event may or may not be in the log. The session stays blocked until `resend(event)` succeeds (a duplicate
 * is harmless: the projector skips it) or the caller resumes the session at a seq it knows.
 */
export class SendFailedError extends EmitterError {
  constructor(
    readonly event: SessionEvent,
    cause: unknown,
  ) {
    super(
      EmitterErrorCode.SendFailed,
      `sending seq ${event.seq} of session ${event.session_id} failed: ${(cause as Error)?.message ?? cause}`,
      { cause },
    );
  }
}
