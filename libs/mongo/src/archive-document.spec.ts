import { SessionEvent, SessionEventOf } from '@app/domain';
import { sessionEvents } from '../../../test/factories/session-events';
import { fromArchiveDocument, toArchiveDocument } from './archive-document';

describe(toArchiveDocument.name, () => {
  const event = sessionEvents('s-1')
    .created()
    .contextAppended([{ metadata: { 'trace.id': 'abc', $meta: [['nested']] } }], {
      occurred_at: '2025-03-03T10:00:00+02:00',
    }).last as SessionEventOf<'session.context_appended'>;
  const archivedAt = new Date('2025-03-03T09:00:00Z');

  it("stores the envelope's own fields with data as a sub-document, keys escaped, and reads back the event", () => {
    const document = toArchiveDocument(event, archivedAt);
    const { event_id, data, ...envelope } = event;
    expect(document).toEqual({
      _id: event_id,
      ...envelope,
      data: { items: [{ ...data.items[0], metadata: { 'trace%2Eid': 'abc', '%24meta': [['nested']] } }] },
      occurred_at_key: expect.stringMatching(/^2025-03-03T08:00:00\.0+Z$/),
      archived_at: archivedAt,
    });
    expect(fromArchiveDocument(document)).toEqual(event);
    expect(Object.keys(fromArchiveDocument(document))).toEqual(Object.keys(event));
  });

  it('wraps nested arrays only when asked', () => {
    const wrapped = toArchiveDocument(event, archivedAt, { wrapNestedArrays: true });
    const metadata = (wrapped.data as { items: { metadata: object }[] }).items[0].metadata;
    expect(metadata).toEqual({ 'trace%2Eid': 'abc', '%24meta': [{ '%[]': ['nested'] }] });
    expect(fromArchiveDocument(wrapped)).toEqual(event as SessionEvent);
  });
});
