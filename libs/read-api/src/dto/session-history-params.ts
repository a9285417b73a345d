import { OptionalInteger, OptionalZonedDateTime } from '@app/http';
import { ApiPropertyOptional } from '@nestjs/swagger';

export const DEFAULT_EVENTS_PAGE = 100;
export const MAX_EVENTS_PAGE = 1000;

export class SessionEventsParams {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Events with a greater seq.' })
  @OptionalInteger({ min: 0, max: Number.MAX_SAFE_INTEGER })
  after_seq: number = 0;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_EVENTS_PAGE,
    default: DEFAULT_EVENTS_PAGE,
  })
  @OptionalInteger({ min: 1, max: MAX_EVENTS_PAGE })
  limit: number = DEFAULT_EVENTS_PAGE;
}

/** Exactly one of the two is required; the controller checks that, as it spans both fields. */
export class SessionStateParams {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'The view after the event with this seq.',
  })
  @OptionalInteger({ min: 1, max: Number.MAX_SAFE_INTEGER })
  at_seq?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'The view after every event that occurred at or before this instant (ISO-8601 with a timezone).',
  })
  @OptionalZonedDateTime()
  at?: string;
}
