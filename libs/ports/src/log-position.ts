import type { LogRecord } from './log-record';

/**
 * How far into the event log something reaches, per partition: for each, the offset just past the last record it
 * covers (Kafka's "next offset"; the embedded log has one partition, 0, and its row positions). A partition left
 * out is covered up to 0, that is not at all. Positions only grow, so comparing them needs no clock: one position
 * covers another when it is at least as far on every partition the other names.
 *
 * Everything that hands a position out or reads one in goes through this module: write acknowledgements, the
 * projector's applied positions, the log's head, the change feed's events and the read API's `min_position`.
 */
export type LogPosition = ReadonlyMap<number, number>;

export const EMPTY_POSITION: LogPosition = new Map();

/** The position just past the records, per partition they came from (the embedded log's records name none: 0). */
export function positionAfter(records: readonly Pick<LogRecord, 'source'>[]): LogPosition {
  const position = new Map<number, number>();
  for (const { source } of records) {
    const partition = source.partition ?? 0;
    const next = Number(source.offset) + 1;
    if (next > (position.get(partition) ?? 0)) position.set(partition, next);
  }
  return position;
}

/** The furthest of the positions on each partition. */
export function mergePositions(...positions: LogPosition[]): LogPosition {
  const merged = new Map<number, number>();
  for (const position of positions) {
    for (const [partition, next] of position) {
      if (next > (merged.get(partition) ?? 0)) merged.set(partition, next);
    }
  }
  return merged;
}

/** Whether `reached` is at least as far as `wanted` on every partition `wanted` names. */
export function covers(reached: LogPosition, wanted: LogPosition): boolean {
  for (const [partition, next] of wanted) {
    if ((reached.get(partition) ?? 0) < next) return false;
  }
  return true;
}

/** Records between `applied` and `head`, over all partitions. */
export function recordsBetween(applied: LogPosition, head: LogPosition): number {
  let behind = 0;
  for (const [partition, next] of head) behind += Math.max(0, next - (applied.get(partition) ?? 0));
  return behind;
}

/** One partition's part of a token: `<partition>:<next offset>`. */
const PART_SOURCE = '(\\d{1,5}):(\\d{1,16})';
const PART = new RegExp(`^${PART_SOURCE}$`);
/** The token's syntax, for the OpenAPI document; `parsePositionToken` enforces it and the rules it cannot state. */
export const POSITION_TOKEN_PATTERN = `^${PART_SOURCE}(,${PART_SOURCE})*$`;
/** Partitions a token may name: Kafka topics here have at most 10,000 (KAFKA_TOPIC_PARTITIONS). */
export const MAX_TOKEN_PARTITIONS = 10_000;
/** Long enough for every partition of the widest topic; request headers stay well inside Node's 16 KiB anyway. */
export const MAX_POSITION_TOKEN_LENGTH = 8192;

/**
 * The position as clients see it: `0:1234,3:99`, partitions ascending. Opaque by contract (clients pass it back and
 * compare tokens only with `tokenCovers` of the SDK), readable on purpose (an operator can tell what it names).
 */
export function formatPositionToken(position: LogPosition): string {
  return [...position]
    .sort(([a], [b]) => a - b)
    .map(([partition, next]) => `${partition}:${next}`)
    .join(',');
}

export class InvalidPositionTokenError extends Error {
  constructor(
    readonly token: string,
    reason: string,
  ) {
    super(`not a log position this service handed out: ${reason}`);
    this.name = InvalidPositionTokenError.name;
  }
}

/** The position a token names; throws `InvalidPositionTokenError` saying what is wrong with it. */
export function parsePositionToken(token: string): LogPosition {
  const refuse = (reason: string) => new InvalidPositionTokenError(token, reason);
  if (token.length === 0) throw refuse('it is empty');
  if (token.length > MAX_POSITION_TOKEN_LENGTH)
    throw refuse(`it is longer than ${MAX_POSITION_TOKEN_LENGTH} characters`);
  const position = new Map<number, number>();
  let previous = -1;
  for (const part of token.split(',')) {
    const match = PART.exec(part);
    if (!match) throw refuse(`"${part.slice(0, 40)}" is not <partition>:<offset>`);
    const partition = Number(match[1]);
    const next = Number(match[2]);
    if (partition >= MAX_TOKEN_PARTITIONS) throw refuse(`partition ${partition} does not exist`);
    if (partition <= previous) throw refuse('partitions must be ascending and named once');
    if (!Number.isSafeInteger(next)) throw refuse(`offset ${match[2]} is too large`);
    position.set(partition, next);
    previous = partition;
  }
  return position;
}

/** Whether a token is one `parsePositionToken` reads. */
export function isPositionToken(token: unknown): token is string {
  if (typeof token !== 'string') return false;
  try {
    parsePositionToken(token);
    return true;
  } catch {
    return false;
  }
}
