import { foldEvents, SessionProjection } from '@app/domain';
import { fromViewDocument, toViewDocument } from '@app/mongo';
import { storedFields } from '@app/ports';
import { groupBySession } from '@app/projection';
import { BSON } from 'mongodb';
import { compare, each } from './archive-encoding.bench';
import { Benchmark } from './support/benchmark';
import { interleavedSessions } from './support/workload';

const DEFAULT_EVENTS = 100_000;

/**
 * The view document as it was before views were stored natively: the list fields beside the view as one JSON
 * string. Kept here only as the reference the native encoding is measured against.
 */
function toJsonStringDocument(projection: SessionProjection) {
  return {
    _id: projection.session_id,
    version: projection.version,
    deleted: projection.deleted,
    last_event_id: projection.last_event_id,
    gaps: projection.gaps,
    fields: storedFields(projection),
    write_token: 'AAAAAAAAAAAAAAAA',
    view: JSON.stringify(projection.view),
  };
}

export const viewEncodingBenchmark: Benchmark = {
  name: 'views',
  description:
    'views per CPU second to turn projections into view documents and BSON (what a bulk write sends) and back (what a ' +
    'read gets), as native documents vs the JSON strings stored before, with the BSON bytes per view ' +
    `(the sessions of --events, default ${DEFAULT_EVENTS.toLocaleString('en-US')})`,
  async run(context) {
    const { events } = interleavedSessions(context.sizes.events ?? DEFAULT_EVENTS);
    const projections = [...groupBySession(events, (event) => event).values()].map(
      (history) => foldEvents(undefined, history).projection!,
    );
    const native = projections.map((projection) => BSON.serialize(toViewDocument(projection)));
    const strings = projections.map((projection) => BSON.serialize(toJsonStringDocument(projection)));
    const bytes = (documents: Uint8Array[]) =>
      Math.round(documents.reduce((sum, document) => sum + document.byteLength, 0) / documents.length);
    const sizes = `BSON bytes per view: native ${bytes(native)}, JSON string ${bytes(strings)}`;

    await compare(
      context,
      'views: encode native documents',
      sizes,
      projections.length,
      [
        (advance) =>
          each(projections, advance, (projection) => BSON.serialize(toJsonStringDocument(projection))),
        (advance) => each(projections, advance, (projection) => BSON.serialize(toViewDocument(projection))),
      ],
      'views',
    );
    await compare(
      context,
      'views: decode native documents',
      sizes,
      projections.length,
      [
        (advance) =>
          each(strings, advance, (document) =>
            JSON.parse((BSON.deserialize(document) as { view: string }).view),
          ),
        (advance) =>
          each(native, advance, (document) => fromViewDocument(BSON.deserialize(document) as never)),
      ],
      'views',
    );
  },
};
