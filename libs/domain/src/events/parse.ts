import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { dateTimeNormaliser } from '../schema/date-time-normaliser';
import { FieldError } from './field-error';
import { SESSION_EVENT_DATA_DTOS } from './session-event-data.dto';
import { SessionEvent, isSessionEventType } from './session-event';
import { sessionEventSchemas } from './session-event-schema';
import { SessionEventEnvelopeDto } from './session-event-envelope.dto';
import { upcastSessionEvent } from './upcast';

export type ParseResult = { ok: true; event: SessionEvent } | { ok: false; errors: FieldError[] };

const normaliseDateTimes = dateTimeNormaliser(sessionEventSchemas(), 'SessionEvent');

/**
 * The edge check every transport runs before an event reaches the log or the fold. On success the event
 * is the (upcast) input with every date-time rewritten into pydantic's UTC form (see ../instant), a plain
 * object that shares the rest of its structure with the input; on failure every offending field is listed,
 * not only the first.
 */
export function parseSessionEvent(input: unknown): ParseResult {
  if (!isRecord(input))
    return { ok: false, errors: [{ path: '', message: 'an event must be a JSON object' }] };
  const upcast = upcastSessionEvent(input);
  if (!upcast.ok) return { ok: false, errors: [upcast.error] };
  const event = upcast.event;
  const errors = validate(SessionEventEnvelopeDto, event, '');
  if (isSessionEventType(event.type) && isRecord(event.data)) {
    errors.push(...validate(SESSION_EVENT_DATA_DTOS[event.type], event.data, 'data'));
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, event: normaliseDateTimes(event) as SessionEvent };
}

export function parseSessionEventJson(bytes: Buffer | string): ParseResult {
  let input: unknown;
  try {
    input = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, errors: [{ path: '', message: `invalid JSON: ${(error as Error).message}` }] };
  }
  return parseSessionEvent(input);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validate(dto: new () => object, plain: Record<string, unknown>, path: string): FieldError[] {
  // forbidUnknownValues would refuse the tombstone's data class for having no rules; every class validated
  // here is one of ours, so the guard it offers against foreign classes has nothing to catch.
  const errors = validateSync(plainToInstance(dto, plain), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
  });
  return flatten(errors, path);
}

function flatten(errors: ValidationError[], parentPath: string): FieldError[] {
  return errors.flatMap((error) => {
    const isIndex = Array.isArray(error.target);
    const path = isIndex
      ? `${parentPath}[${error.property}]`
      : parentPath
        ? `${parentPath}.${error.property}`
        : error.property;
    const messages = Object.values(error.constraints ?? {});
    const own: FieldError[] =
      messages.length === 0 ? [] : [{ path, message: describe(error, path, isIndex, messages) }];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

// class-validator names only the last key; the message names the whole path so it stands on its own.
function describe(error: ValidationError, path: string, isIndex: boolean, messages: string[]): string {
  if (error.value === undefined && !isIndex) return `${path} is required`;
  return messages.map((message) => replaceWord(message, error.property, path)).join('; ');
}

function replaceWord(message: string, word: string, replacement: string): string {
  if (message.startsWith(`${word} `)) return replacement + message.slice(word.length);
  const at = message.indexOf(` ${word} `);
  return at === -1
    ? message
    : `${message.slice(0, at + 1)}${replacement}${message.slice(at + 1 + word.length)}`;
}
