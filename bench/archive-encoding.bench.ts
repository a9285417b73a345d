import { instantKey, SessionEvent } from '@app/domain';
import { fromArchiveDocument, toArchiveDocument } from '@app/mongo';
import { BSON } from 'mongodb';
import { Benchmark, BenchContext } from './support/benchmark';
import { Advance, Measured, measureAlternating } from './support/measure';
import { interleavedSessions } from './support/workload';

const DEFAULT_EVENTS = 100_000;
const ROUNDS = 3;
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
    'events/s to turn events into archive documents and BSON (what insertMany sends) and back (what a history ' +
    'read gets), as native documents vs the JSON strings stored before, with the BSON bytes per event ' +
    `(--events, default ${DEFAULT_EVENTS.toLocaleString('en-US')}; median of ${ROUNDS} alternating rounds)`,
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

async function compare(
  { record }: BenchContext,
  name: string,
  note: string,
  count: number,
  [reference, measuredWork]: ((advance: Advance) => void)[],
): Promise<void> {
  const [ceiling, measured] = await measureAlternating(ROUNDS, [
    { spec: { label: `${name}, JSON string`, total: count, unit: 'events' }, work: reference },
    { spec: { label: name, total: count, unit: 'events' }, work: measuredWork },
  ]);
  record({
    name,
    value: rate(count, measured),
    unit: 'events/s',
    ceiling: { name: 'the JSON-string document', value: rate(count, ceiling) },
    memory: measured.memory,
    note,
  });
}

function each<T>(items: readonly T[], advance: Advance, work: (item: T) => unknown): void {
  for (let index = 0; index < items.length; index += 1) {
    if (work(items[index]) === undefined) throw new Error(`item ${index} gave nothing`);
    if (index % CHUNK === 0) advance(CHUNK);
  }
}

function rate(count: number, measured: Measured): number {
  return count / measured.seconds;
}
