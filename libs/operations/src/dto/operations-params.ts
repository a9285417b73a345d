import { MAX_ID_LENGTH } from '@app/domain';
import {
  Described,
  InPath,
  OptionalBoolean,
  OptionalEnum,
  OptionalInteger,
  OptionalText,
  RequiredText,
} from '@app/http';
import { DeadLetterReason, DEFAULT_DEAD_LETTER_LIST_LIMIT } from '@app/ports';

// One class per request, read by `@Parameters()` for validation and for the OpenAPI document alike.

export const DEAD_LETTER_REASONS: readonly string[] = Object.values(DeadLetterReason);

/** The most letters one answer holds; page by narrowing the query (reason, session) and re-driving. */
export const MAX_DEAD_LETTER_LIST_LIMIT = 1000;

/** Ids are a table's row id or `<partition>:<offset>` in the dead-letter topic. */
const MAX_DEAD_LETTER_ID_LENGTH = 64;

export class DeadLetterListParams {
  @Described('Only letters of this reason.')
  @OptionalEnum(DEAD_LETTER_REASONS)
  reason?: DeadLetterReason;

  @Described('Only letters of this session.')
  @OptionalText(MAX_ID_LENGTH)
  session_id?: string;

  @Described('Also the letters already re-driven (left out by default).')
  @OptionalBoolean()
  include_redriven?: boolean;

  @Described('At most this many letters, oldest first.')
  @OptionalInteger({ min: 1, max: MAX_DEAD_LETTER_LIST_LIMIT })
  limit: number = DEFAULT_DEAD_LETTER_LIST_LIMIT;
}

export class DeadLetterIdParams {
  @Described('The `id` of a listed letter.')
  @InPath()
  @RequiredText(MAX_DEAD_LETTER_ID_LENGTH)
  id!: string;
}
