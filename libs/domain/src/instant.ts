// Instants: the one module that reads, writes, compares and orders date-times. Every edge (event parsing, query
// parameters, cursors) and every store calls it, so a form accepted in one place is accepted in all of them.
//
// Read: RFC 3339 `date-time` (full date, `T`, time with seconds, optional fraction, `Z` or `±hh:mm`), with `T`
// and `Z` in either case as RFC 3339 allows. Anything else ISO-8601 permits (basic forms, `+0100`, minutes-only
// times, ordinal or week dates, a space for `T`) is refused, so one instant has one spelling on the wire.
// Written: as pydantic v2 serialises an aware datetime in UTC (`2025-03-05T14:01:00Z`, a fraction only when it
// is not zero, trailing zeros dropped, microsecond precision), which is what the origin service's clients read.

export interface Instant {
  /** Whole seconds since 1970-01-01T00:00:00Z. */
  readonly epochSeconds: number;
  /** 0 to 999,999; finer digits in the input are truncated, as Python's datetime keeps microseconds. */
  readonly microsecond: number;
}

export type DateTimeReading =
  | { kind: 'instant'; instant: Instant }
  /** A well-formed date-time without a timezone: it names no instant (pydantic's `timezone_aware` error). */
  | { kind: 'unzoned' }
  | { kind: 'invalid' };

export class UnreadableInstantError extends Error {
  constructor(readonly text: string) {
    super(`'${text}' is not an RFC 3339 date-time with a timezone`);
    this.name = UnreadableInstantError.name;
  }
}

const MICROSECOND_DIGITS = 6;
const KEY_FRACTION_DIGITS = 9;
const DAY_SECONDS = 86_400;
// Python's datetime spans years 1 to 9999; an offset that moves an instant outside them names nothing it can hold.
const FIRST_SECOND = daysFromCivil(1, 1, 1) * DAY_SECONDS;
const LAST_SECOND = daysFromCivil(10000, 1, 1) * DAY_SECONDS - 1;
const INVALID: DateTimeReading = { kind: 'invalid' };
const UNZONED: DateTimeReading = { kind: 'unzoned' };

// Read character by character and computed without Date: every event carries several date-times, and reading
// them is on the hot path of ingest and projection.
export function readDateTime(text: unknown): DateTimeReading {
  if (typeof text !== 'string' || text.length < 19) return INVALID;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const wellFormed =
    text[4] === '-' &&
    text[7] === '-' &&
    (text[10] === 'T' || text[10] === 't') &&
    text[13] === ':' &&
    text[16] === ':' &&
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59;
  if (!wellFormed) return INVALID;
  let position = 19;
  let microsecond = 0;
  if (text[position] === '.') {
    const start = position + 1;
    position = start;
    while (position < text.length && isDigit(text.charCodeAt(position))) position += 1;
    if (position === start) return INVALID;
    const kept = Math.min(position - start, MICROSECOND_DIGITS);
    microsecond = digits(text, start, kept) * 10 ** (MICROSECOND_DIGITS - kept);
  }
  if (position === text.length) return UNZONED;
  const offsetSeconds = offsetAt(text, position);
  if (offsetSeconds === undefined) return INVALID;
  const epochSeconds =
    daysFromCivil(year, month, day) * DAY_SECONDS + (hour * 60 + minute) * 60 + second - offsetSeconds;
  if (epochSeconds < FIRST_SECOND || epochSeconds > LAST_SECOND) return INVALID;
  return { kind: 'instant', instant: { epochSeconds, microsecond } };
}

/** Seconds east of UTC of the zone that ends `text` at `position` (`Z`, `z` or `±hh:mm`). */
function offsetAt(text: string, position: number): number | undefined {
  const sign = text[position];
  if (sign === 'Z' || sign === 'z') return position + 1 === text.length ? 0 : undefined;
  if ((sign !== '+' && sign !== '-') || position + 6 !== text.length || text[position + 3] !== ':') {
    return undefined;
  }
  const hours = digits(text, position + 1, 2);
  const minutes = digits(text, position + 4, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  return (hours * 60 + minutes) * 60 * (sign === '-' ? -1 : 1);
}

/** The instant `text` names, or undefined when it is not an RFC 3339 date-time with a timezone. */
export function parseInstant(text: unknown): Instant | undefined {
  const reading = readDateTime(text);
  return reading.kind === 'instant' ? reading.instant : undefined;
}

export function isInstant(value: unknown): value is string {
  return parseInstant(value) !== undefined;
}

/** pydantic v2's UTC form: `2025-03-05T14:01:00Z`, `2025-03-05T14:01:00.5Z`. */
export function formatInstant({ epochSeconds, microsecond }: Instant): string {
  const whole = wholeSeconds(epochSeconds);
  if (microsecond === 0) return `${whole}Z`;
  return `${whole}.${pad(microsecond, MICROSECOND_DIGITS).replace(/0+$/, '')}Z`;
}

/** A JavaScript Date (millisecond precision) in pydantic's UTC form. */
export function formatDate(date: Date): string {
  const ms = date.getTime();
  return formatInstant({
    epochSeconds: Math.floor(ms / 1000),
    microsecond: (((ms % 1000) + 1000) % 1000) * 1000,
  });
}

/** `text` in pydantic's UTC form, or undefined when it names no instant. */
export function normalizeInstant(text: unknown): string | undefined {
  const instant = parseInstant(text);
  return instant === undefined ? undefined : formatInstant(instant);
}

/**
 * The order key stores sort and filter on: the instant in UTC with nine fraction digits, so that lexical
 * order is time order (the format predates microsecond precision; the last three digits are always zero).
 */
export function instantKey(text: string): string {
  const instant = parseInstant(text);
  if (instant === undefined) throw new UnreadableInstantError(text);
  const fraction = pad(instant.microsecond, MICROSECOND_DIGITS).padEnd(KEY_FRACTION_DIGITS, '0');
  return `${wholeSeconds(instant.epochSeconds)}.${fraction}Z`;
}

/** Negative when `a` is earlier than `b`, zero for the same instant however spelled, positive when later. */
export function compareInstants(a: string, b: string): number {
  const left = instantKey(a);
  const right = instantKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The number that `count` decimal digits at `start` spell, or -1 when one of them is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const code = text.charCodeAt(index);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's civil calendar algorithms), with
// no special case for years below 100 as Date.UTC has.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** `YYYY-MM-DDTHH:MM:SS` of an epoch second. */
function wholeSeconds(epochSeconds: number): string {
  const days = Math.floor(epochSeconds / DAY_SECONDS);
  const secondOfDay = epochSeconds - days * DAY_SECONDS;
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const time = `${pad(Math.floor(secondOfDay / 3600), 2)}:${pad(Math.floor((secondOfDay % 3600) / 60), 2)}:${pad(secondOfDay % 60, 2)}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
