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

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;
const MICROSECOND_DIGITS = 6;
const KEY_FRACTION_DIGITS = 9;
// Python's datetime spans years 1 to 9999; an offset that moves an instant outside them names nothing it can hold.
const FIRST_SECOND = utcSeconds(1, 1, 1);
const LAST_SECOND = utcSeconds(10000, 1, 1) - 1;

export function readDateTime(text: unknown): DateTimeReading {
  if (typeof text !== 'string') return { kind: 'invalid' };
  const parts = DATE_TIME.exec(text);
  if (!parts) return { kind: 'invalid' };
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { kind: 'invalid' };
  if (hour > 23 || minute > 59 || second > 59) return { kind: 'invalid' };
  const [, , , , , , , fraction = '', zulu, sign, offsetHours, offsetMinutes] = parts;
  if (zulu === undefined && sign === undefined) return { kind: 'unzoned' };
  const offsetSeconds =
    sign === undefined
      ? 0
      : (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60 * (sign === '-' ? -1 : 1);
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return { kind: 'invalid' };
  const epochSeconds = utcSeconds(year, month, day) + (hour * 60 + minute) * 60 + second - offsetSeconds;
  if (epochSeconds < FIRST_SECOND || epochSeconds > LAST_SECOND) return { kind: 'invalid' };
  const microsecond = Number(fraction.slice(0, MICROSECOND_DIGITS).padEnd(MICROSECOND_DIGITS, '0'));
  return { kind: 'instant', instant: { epochSeconds, microsecond } };
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
  const whole = new Date(epochSeconds * 1000).toISOString().slice(0, 19);
  if (microsecond === 0) return `${whole}Z`;
  return `${whole}.${String(microsecond).padStart(MICROSECOND_DIGITS, '0').replace(/0+$/, '')}Z`;
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
  const whole = new Date(instant.epochSeconds * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(instant.microsecond).padStart(MICROSECOND_DIGITS, '0').padEnd(KEY_FRACTION_DIGITS, '0')}Z`;
}

/** Negative when `a` is earlier than `b`, zero for the same instant however spelled, positive when later. */
export function compareInstants(a: string, b: string): number {
  const left = instantKey(a);
  const right = instantKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Date.UTC reads years 0 to 99 as 1900 to 1999; setUTCFullYear does not. */
function utcSeconds(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() / 1000;
}
