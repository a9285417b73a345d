import { instantKey, SessionEvent } from '@app/domain';
import { fromArchiveDocument, toArchiveDocument } from '@app/mongo';
import { BSON } from 'mongodb';
import { Benchmark, BenchContext } from './support/benchmark';
import { Advance, measureAlternating } from './support/measure';
import { interleavedSessions } from './support/workload';

const DEFAULT_EVENTS = 100_000;
const ROUNDS = 5;
const CHUNK = 1_000;

/**
 * The archive document as it was before events were stored natively: the queried fields beside the event as one
 * JSON string. Kept here only as the reference the native encoding is measured against.
 */
function toJsonStringDocument(event: SessionEvent, archivedAt: Date) {
  return {
    _id: event.event_id,
    session_id: event.session_id,
    seq: event.seq,
    occurred_at: instantKey(event.occurred_at),
    archived_at: archivedAt,
    write_token: 'AAAAAAAAAAAAAAAA',
    event: JSON.stringify(event),
  };
}

export const archiveEncodingBenchmark: Benchmark = {
  name: 'archive',
  description:
    'events per CPU second to turn events into archive documents and BSON (what insertMany sends) and back (what a history ' +
    'read gets), as native documents vs the JSON strings stored before, with the BSON bytes per event ' +
    `(--events, default ${DEFAULT_EVENTS.toLocaleString('en-US')}; median CPU time of ${ROUNDS} alternating rounds)`,
  async run(context) {
    const events = interleavedSessions(context.sizes.events ?? DEFAULT_EVENTS).events;
    const archivedAt = new Date();
    const native = events.map((event) => BSON.serialize(toArchiveDocument(event, archivedAt)));
    const strings = events.map((event) => BSON.serialize(toJsonStringDocument(event, archivedAt)));
    const bytes = (documents: Uint8Array[]) =>
      Math.round(documents.reduce((sum, document) => sum + document.byteLength, 0) / documents.length);
    const sizes = `BSON bytes per event: native ${bytes(native)}, JSON string ${bytes(strings)}`;

    await compare(context, 'archive: encode native documents', sizes, events.length, [
      (advance) => each(events, advance, (event) => BSON.serialize(toJsonStringDocument(event, archivedAt))),
      (advance) => each(events, advance, (event) => BSON.serialize(toArchiveDocument(event, archivedAt))),
    ]);
    await compare(context, 'archive: decode native documents', sizes, events.length, [
      (advance) =>
        each(strings, advance, (document) =>
          JSON.parse((BSON.deserialize(document) as { event: string }).event),
        ),
      (advance) =>
        each(native, advance, (document) => fromArchiveDocument(BSON.deserialize(document) as never)),
    ]);
  },
};

/**
 * Rates from the process's CPU time per round (median of the rounds), not the wall clock: this is pure computation
 * in one thread, and on a shared machine the wall clock mostly measures the other processes.
 */
export async function compare(
  { record }: BenchContext,
  name: string,
  note: string,
  count: number,
  [reference, measuredWork]: ((advance: Advance) => void)[],
  unit = 'events',
): Promise<void> {
  const cpu: number[][] = [[], []];
  const timed = (phase: number, work: (advance: Advance) => void) => (advance: Advance) => {
    const before = process.cpuUsage();
    work(advance);
    const used = process.cpuUsage(before);
    cpu[phase].push((used.user + used.system) / 1e6);
  };
  const [, measured] = await measureAlternating(ROUNDS, [
    { spec: { label: `${name}, JSON string`, total: count, unit }, work: timed(0, reference) },
    { spec: { label: name, total: count, unit }, work: timed(1, measuredWork) },
  ]);
  const [ceilingSeconds, measuredSeconds] = cpu.map(
    (seconds) => [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)],
  );
  record({
    name,
    value: count / measuredSeconds,
    unit: `${unit}/CPU-s`,
    ceiling: { name: 'the JSON-string document', value: count / ceilingSeconds },
    memory: measured.memory,
    note,
  });
}

export function each<T>(items: readonly T[], advance: Advance, work: (item: T) => unknown): void {
  for (let index = 0; index < items.length; index += 1) {
    if (work(items[index]) === undefined) throw new Error(`item ${index} gave nothing`);
    if (index % CHUNK === 0) advance(CHUNK);
  }
}
