import {
  foldEvents,
  parseSessionEvent,
  parseSessionEventJson,
  SessionEvent,
  sessionEventDtoErrors,
  upcastSessionEvent,
} from '@app/domain';
import { Benchmark, BenchContext } from './support/benchmark';
import { Advance, Measured, measureAlternating } from './support/measure';
import { interleavedSessions, longSession } from './support/workload';

const DEFAULT_EVENTS = 100_000;
const ROUNDS = 3;
const LONG_SESSION_EVENTS = 5_000;
/** Progress and memory are looked at once per this many events, far too rarely to cost anything. */
const CHUNK = 1_000;

/** The same events twice: as the log holds them (JSON bytes) and as sessions' histories in seq order. */
interface Input {
  records: Buffer[];
  histories: SessionEvent[][];
}

type Work = (input: Input, advance: Advance) => void;

export const foldBenchmark: Benchmark = {
  name: 'fold',
  description:
    `events/s of parseSessionEvent (validation) against class-validator alone (goal: 10x); of ` +
    `parseSessionEventJson and of foldEvents on 23-event sessions and on one ` +
    `${LONG_SESSION_EVENTS.toLocaleString('en-US')}-event session, each beside JSON.parse of the same events ` +
    `as a reference, not a ceiling ` +
    `(--events, default ${DEFAULT_EVENTS.toLocaleString('en-US')}; median of ${ROUNDS} alternating rounds)`,
  async run(context) {
    const eventCount = context.sizes.events ?? DEFAULT_EVENTS;
    const sessions = inputOf(bySession(interleavedSessions(eventCount).events));
    await validationAgainstClassValidator(context, sessions);
    await againstJsonParse(context, 'fold: parseSessionEventJson', sessions, validateAll);
    await againstJsonParse(context, 'fold: foldEvents, 23-event sessions', sessions, foldAll);
    // One long session folded as many times as it takes to go through as many events as the other phases.
    const long = longSession(Math.min(LONG_SESSION_EVENTS, eventCount));
    const repeats = Math.max(1, Math.round(eventCount / long.length));
    await againstJsonParse(
      context,
      `fold: foldEvents, one ${long.length.toLocaleString('en-US')}-event session`,
      inputOf(Array.from({ length: repeats }, () => long)),
      foldAll,
    );
  },
};

async function againstJsonParse(
  { record }: BenchContext,
  name: string,
  input: Input,
  work: Work,
): Promise<void> {
  const events = input.records.length;
  const [ceiling, measured] = await measureAlternating(ROUNDS, [
    { spec: phase(`${name}, JSON.parse`, events), work: (advance) => parseAll(input, advance) },
    { spec: phase(name, events), work: (advance) => work(input, advance) },
  ]);
  record({
    name,
    value: rate(events, measured),
    unit: 'events/s',
    // JSON.parse does less than any of these phases: it shows the scale, it is not a bound to reach.
    ceiling: { name: 'JSON.parse (a reference, not a ceiling)', value: rate(events, ceiling) },
    memory: measured.memory,
  });
}

/**
 * Validation per valid event, JSON.parse left out of both sides (the 48.5 µs per event was class-validator
 * and class-transformer alone): parseSessionEvent (input guard, upcast, the compiled schema, date-time
 * normalisation) against the same upcast followed by class-validator's walk, how every event was checked before.
 * The class-validator side builds its instances without class-transformer, which only makes it faster than it
 * was, so the ratio is if anything understated.
 */
async function validationAgainstClassValidator({ record }: BenchContext, input: Input): Promise<void> {
  const name = 'fold: parseSessionEvent vs class-validator';
  const objects = input.records.map((bytes) => JSON.parse(bytes.toString('utf8')) as Record<string, unknown>);
  const events = objects.length;
  const [baseline, measured] = await measureAlternating(ROUNDS, [
    {
      spec: phase(`${name}, class-validator`, events),
      work: (advance) => classValidateAll(objects, advance),
    },
    { spec: phase(name, events), work: (advance) => parseAllObjects(objects, advance) },
  ]);
  const microseconds = (seconds: number) => ((seconds / events) * 1e6).toFixed(2);
  record({
    name,
    value: rate(events, measured),
    unit: 'events/s',
    ceiling: { name: 'class-validator alone (the baseline of the goal)', value: rate(events, baseline) },
    goal: { ratio: 10, direction: 'at least' },
    memory: measured.memory,
    note: `${microseconds(measured.seconds)} µs per valid event against ${microseconds(baseline.seconds)} µs`,
  });
}

function parseAllObjects(objects: readonly Record<string, unknown>[], advance: Advance): void {
  for (let index = 0; index < objects.length; index += 1) {
    if (!parseSessionEvent(objects[index]).ok) throw new Error(`event ${index} is invalid`);
    if (index % CHUNK === 0) advance(CHUNK);
  }
}

function classValidateAll(objects: readonly Record<string, unknown>[], advance: Advance): void {
  for (let index = 0; index < objects.length; index += 1) {
    const upcast = upcastSessionEvent(objects[index]);
    if (!upcast.ok || sessionEventDtoErrors(upcast.event).length > 0)
      throw new Error(`event ${index} is invalid`);
    if (index % CHUNK === 0) advance(CHUNK);
  }
}

function parseAll({ records }: Input, advance: Advance): void {
  let keys = 0;
  for (let index = 0; index < records.length; index += 1) {
    keys += Object.keys(JSON.parse(records[index].toString('utf8'))).length;
    if (index % CHUNK === 0) advance(CHUNK);
  }
  if (keys === 0) throw new Error('JSON.parse produced nothing');
}

function validateAll({ records }: Input, advance: Advance): void {
  for (let index = 0; index < records.length; index += 1) {
    if (!parseSessionEventJson(records[index]).ok) throw new Error(`event ${index} is invalid`);
    if (index % CHUNK === 0) advance(CHUNK);
  }
}

/** Folds each history from scratch, as a projector meeting a session for the first time does. */
function foldAll({ records, histories }: Input, advance: Advance): void {
  let applied = 0;
  for (const history of histories) {
    applied += foldEvents(undefined, history).applied;
    advance(history.length);
  }
  if (applied !== records.length) throw new Error(`folded ${applied} of ${records.length} events`);
}

function bySession(events: readonly SessionEvent[]): SessionEvent[][] {
  const histories = new Map<string, SessionEvent[]>();
  for (const event of events) {
    const history = histories.get(event.session_id);
    if (history) history.push(event);
    else histories.set(event.session_id, [event]);
  }
  return [...histories.values()];
}

function inputOf(histories: SessionEvent[][]): Input {
  return {
    records: histories.flat().map((event) => Buffer.from(JSON.stringify(event), 'utf8')),
    histories,
  };
}

function phase(label: string, total: number) {
  return { label, total, unit: 'events' };
}

function rate(count: number, measured: Measured): number {
  return count / measured.seconds;
}
