import { isUtf8 } from 'node:buffer';
import { ValidationError, validateSync } from 'class-validator';
import { dateTimeNormaliser } from '../schema/date-time-normaliser';
import { DtoClass } from '../schema/json-schema';
import { compiledEventAcceptor } from './compiled-validator';
import { toDtoInstance } from './dto-instance';
import { FieldError } from './field-error';
import { guardEventInput, renderPath } from './input-guard';
import { MAX_FIELD_ERRORS } from './limits';
import { SESSION_EVENT_DATA_DTOS } from './session-event-data.dto';
import { SessionEvent, isSessionEventType } from './session-event';
import { sessionEventSchemas } from './session-event-schema';
import { SessionEventEnvelopeDto } from './session-event-envelope.dto';
import { upcastSessionEvent } from './upcast';

export type ParseResult = { ok: true; event: SessionEvent } | { ok: false; errors: FieldError[] };

const normaliseDateTimes = dateTimeNormaliser(sessionEventSchemas(), 'SessionEvent');
const acceptedByCompiledSchema = compiledEventAcceptor();

/**
 * The edge check every transport runs before an event reaches the log or the fold. On success the event
 * is the (upcast) input with every date-time rewritten into pydantic's UTC form (see ../instant), a plain
 * object that shares the rest of its structure with the input; on failure the offending fields are listed
 * (every one, up to MAX_FIELD_ERRORS), not only the first.
 *
 * Total: every input gives one of the two answers, never an exception, so one hostile record can neither
 * fail an HTTP request with a 500 nor make a projector redeliver its batch forever.
 */
export function parseSessionEvent(input: unknown): ParseResult {
  try {
    return parse(input);
  } catch (error) {
    // Reaching this is a defect in a validator; the event is still refused rather than thrown at the caller.
    return {
      ok: false,
      errors: [{ path: '', message: `the event could not be checked: ${describeError(error)}` }],
    };
  }
}

export function parseSessionEventJson(bytes: Buffer | string): ParseResult {
  if (typeof bytes !== 'string' && !isUtf8(bytes)) {
    return { ok: false, errors: [{ path: '', message: 'an event must be UTF-8 encoded JSON' }] };
  }
  let input: unknown;
  try {
    input = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, errors: [{ path: '', message: `invalid JSON: ${describeError(error)}` }] };
  }
  return parseSessionEvent(input);
}

function parse(input: unknown): ParseResult {
  if (!isRecord(input)) return refused([{ path: '', message: 'an event must be a JSON object' }]);
  const hostile = guardEventInput(input);
  if (hostile.length > 0) return refused(hostile);
  const upcast = upcastSessionEvent(input);
  if (!upcast.ok) return refused([upcast.error]);
  const event = upcast.event;
  // Most events are valid: the compiled schema accepts them fast. Only a refusal costs the DTOs' walk, which
  // names every offending field and, being the specification, decides.
  const errors = acceptedByCompiledSchema(event) ? [] : sessionEventDtoErrors(event);
  if (errors.length > 0) return refused(errors);
  return { ok: true, event: normaliseDateTimes(event) as SessionEvent };
}

/** What class-validator finds wrong with an upcast event that passed the input guard; [] when nothing. */
export function sessionEventDtoErrors(event: Record<string, unknown>): FieldError[] {
  const errors = validate(SessionEventEnvelopeDto, event, '');
  if (isSessionEventType(event.type) && isRecord(event.data)) {
    errors.push(...validate(SESSION_EVENT_DATA_DTOS[event.type], event.data, 'data'));
  }
  return errors;
}

function refused(errors: FieldError[]): ParseResult {
  return { ok: false, errors: errors.slice(0, MAX_FIELD_ERRORS) };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validate(dto: DtoClass, plain: Record<string, unknown>, path: string): FieldError[] {
  const unknown: FieldError[] = [];
  const instance = toDtoInstance(dto, plain, (keys) => {
    // The first key is always a property name, never an index.
    const where = [path, renderPath(keys)].filter((part) => part !== '').join('.');
    unknown.push({ path: where, message: `property ${where} should not exist` });
  });
  // forbidUnknownValues would refuse the tombstone's data class for having no rules; every class validated
  // here is one of ours, so the guard it offers against foreign classes has nothing to catch.
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
  });
  return [...flatten(errors, path), ...unknown];
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
