// Events carry ISO-8601 timestamps with any zone offset, any fraction precision and any of ISO-8601's date forms
// (calendar, ordinal, week; extended or basic), all of which the event validation accepts, so their strings do
// not sort in time order and Date.parse cannot read them all. Columns that sort or filter on time hold this key
// instead: the same instant in UTC, calendar form, always nine fraction digits.

const TIMESTAMP = /^(.+)T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;
const CALENDAR_DATE = /^(\d{4})(-?)(\d{2})(?:\2(\d{2}))?$/;
const ORDINAL_DATE = /^(\d{4})-?(\d{3})$/;
const WEEK_DATE = /^(\d{4})-?W(\d{2})(?:-?([1-7]))?$/;
const FRACTION_DIGITS = 9;
const DAY_MS = 86_400_000;

export class UnreadableTimestampError extends Error {
  constructor(readonly timestamp: string) {
    super(`'${timestamp}' is not an ISO-8601 timestamp with a timezone`);
    this.name = UnreadableTimestampError.name;
  }
}

/** The instant `timestamp` names, as a string whose lexical order is time order. */
export function instantKey(timestamp: string): string {
  const parts = TIMESTAMP.exec(timestamp);
  const dayMs = parts ? dayStartMs(parts[1]) : undefined;
  if (!parts || dayMs === undefined) {
    throw new UnreadableTimestampError(timestamp);
  }
  const [, , hours, minutes, seconds = '0', fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] =
    parts;
  const offsetMs = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 * (sign === '-' ? -1 : 1);
  const ms = dayMs + ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 - offsetMs;
  const wholeSeconds = new Date(ms).toISOString().slice(0, 19);
  return `${wholeSeconds}.${fraction.padEnd(FRACTION_DIGITS, '0').slice(0, FRACTION_DIGITS)}Z`;
}

function dayStartMs(date: string): number | undefined {
  const calendar = CALENDAR_DATE.exec(date);
  if (calendar) return Date.UTC(Number(calendar[1]), Number(calendar[3]) - 1, Number(calendar[4] ?? '1'));
  const ordinal = ORDINAL_DATE.exec(date);
  if (ordinal) return Date.UTC(Number(ordinal[1]), 0, Number(ordinal[2]));
  const week = WEEK_DATE.exec(date);
  if (week) {
    const weekOffsetDays = (Number(week[2]) - 1) * 7 + Number(week[3] ?? '1') - 1;
    return isoWeekStartMs(Number(week[1])) + weekOffsetDays * DAY_MS;
  }
  return undefined;
}

/** Monday of ISO week 1: the week that holds 4 January. */
function isoWeekStartMs(year: number): number {
  const fourthOfJanuary = Date.UTC(year, 0, 4);
  const isoWeekday = new Date(fourthOfJanuary).getUTCDay() || 7;
  return fourthOfJanuary - (isoWeekday - 1) * DAY_MS;
}
