import { Described, OptionalInteger, OptionalZonedDateTime } from '@app/http';
import { SessionIdParams } from './session-params';

export const DEFAULT_EVENTS_PAGE = 100;
export const MAX_EVENTS_PAGE = 1000;

export class SessionEventsParams extends SessionIdParams {
  @Described('Events with a greater seq (exclusive).')
  @OptionalInteger({ min: 0, max: Number.MAX_SAFE_INTEGER })
  after_seq: number = 0;

  @Described('Events per page.')
  @OptionalInteger({ min: 1, max: MAX_EVENTS_PAGE })
  limit: number = DEFAULT_EVENTS_PAGE;
}

/** Exactly one of `at_seq` and `at` is required; the controller checks that, as it spans both fields. */
export class SessionStateParams extends SessionIdParams {
  @Described(
    'The view after the event with this seq: events with seq up to and including it are folded, later ones not. Give exactly one of `at_seq` and `at`.',
  )
  @OptionalInteger({ min: 1, max: Number.MAX_SAFE_INTEGER })
  at_seq?: number;

  @Described(
    'The view after every event that occurred at or before this instant (RFC 3339 with a timezone). Give exactly one of `at_seq` and `at`.',
  )
  @OptionalZonedDateTime()
  at?: string;
}
