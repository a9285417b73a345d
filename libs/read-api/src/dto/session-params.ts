import { MAX_ID_LENGTH, SESSION_SOURCES, SESSION_STATUSES, SessionSource, SessionStatus } from '@app/domain';
import {
  OptionalBoolean,
  OptionalEnum,
  OptionalInteger,
  OptionalText,
  OptionalZonedDateTime,
  RequiredText,
  Satisfies,
} from '@app/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { decodeCursor, MAX_CURSOR_LENGTH } from '../session-list-cursor';
import { VIEW_SHAPES, ViewShape } from '../session-view-shape';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Deep offsets cost the store a scan of everything skipped; the cursor pages any depth at the same cost. */
export const MAX_OFFSET = 10_000;

/** What every read of an agent's sessions names: the agent, and how much of each view to send. */
export class AgentSessionsParams {
  @ApiProperty({ description: 'Filter sessions by agent ID.', minLength: 1, maxLength: MAX_ID_LENGTH })
  @RequiredText(MAX_ID_LENGTH)
  agent_id!: string;

  @ApiPropertyOptional({
    enum: VIEW_SHAPES,
    default: 'full',
    description:
      '`summary` sends the same keys with `state.context` [], `state.summary` "" and `state.tool_context.read_file_cache` [].',
  })
  @OptionalEnum(VIEW_SHAPES)
  view: ViewShape = 'full';
}

export class ListSessionsParams extends AgentSessionsParams {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @OptionalInteger({ min: 1, max: MAX_PAGE_SIZE })
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_OFFSET,
    default: 0,
    description:
      'Sessions to skip. Pages by offset shift when sessions are written meanwhile; `cursor` does not.',
  })
  @OptionalInteger({ min: 0, max: MAX_OFFSET })
  offset: number = 0;

  @ApiPropertyOptional({
    maxLength: MAX_CURSOR_LENGTH,
    description:
      'Start after the last session of a previous page: the `cursor` of the `Link: <...>; rel="next"` header of a full page.',
  })
  @OptionalText(MAX_CURSOR_LENGTH)
  @Satisfies(
    'isSessionListCursor',
    (value) => typeof value !== 'string' || decodeCursor(value) !== undefined,
    'not a cursor this API handed out',
  )
  cursor?: string;

  @ApiPropertyOptional({ type: 'boolean' })
  @OptionalBoolean()
  is_running?: boolean;

  @ApiPropertyOptional({ enum: SESSION_STATUSES })
  @OptionalEnum(SESSION_STATUSES)
  status?: SessionStatus;

  @ApiPropertyOptional({ enum: SESSION_SOURCES })
  @OptionalEnum(SESSION_SOURCES)
  source?: SessionSource;

  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_ID_LENGTH })
  @OptionalText(MAX_ID_LENGTH)
  team_id?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only sessions updated after this instant (ISO-8601 with a timezone; exclusive).',
  })
  @OptionalZonedDateTime()
  updated_after?: string;
}

export class SessionIdParams {
  @ApiProperty({ minLength: 1, maxLength: MAX_ID_LENGTH })
  @RequiredText(MAX_ID_LENGTH)
  session_id!: string;
}

/** Longest Last-Event-ID accepted: Kafka positions name an offset per partition. */
export const MAX_LAST_EVENT_ID_LENGTH = 4096;

export class ResumeHeaders {
  @OptionalText(MAX_LAST_EVENT_ID_LENGTH)
  'last-event-id'?: string;
}
