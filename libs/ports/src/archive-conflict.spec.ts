import type { SessionEvent } from '@app/domain';
import { ArchivedEvent, classifyArchiveAppend } from './archive-conflict';

const event = {
  event_id: 'id-x',
  session_id: 's',
  seq: 2,
  type: 'run.started',
  occurred_at: '2025-03-05T14:01:00Z',
  data: { reply_id: 'r', nested: { a: 1, b: 2 } },
} as unknown as SessionEvent;

const archived = (place: Omit<ArchivedEvent, 'content'>, content: unknown = {}): ArchivedEvent => ({
  ...place,
  content: () => content,
});

describe(classifyArchiveAppend.name, () => {
  it('takes an event nothing holds as new', () => {
    expect(classifyArchiveAppend(event, {})).toEqual({ kind: 'new' });
  });

  it('takes the same event at the same place, keys in any order, as a duplicate', () => {
    const { data: _data, ...envelope } = event;
    const reordered = { data: { nested: { b: 2, a: 1 }, reply_id: 'r' }, ...envelope };
    expect(classifyArchiveAppend(event, { withEventId: archived(event, reordered), atPlace: event })).toEqual(
      { kind: 'duplicate' },
    );
  });

  it('refuses other content under the same id and place', () => {
    const edited = { ...event, data: { reply_id: 'other' } };
    expect(classifyArchiveAppend(event, { withEventId: archived(event, edited), atPlace: event })).toEqual({
      kind: 'conflict',
      reason: 'content_differs',
      existingEventId: 'id-x',
    });
  });

  it('refuses a taken seq, naming its holder', () => {
    expect(classifyArchiveAppend(event, { atPlace: { event_id: 'id-y', session_id: 's', seq: 2 } })).toEqual({
      kind: 'conflict',
      reason: 'seq_taken',
      existingEventId: 'id-y',
    });
  });

  it('refuses an id held at another place without reading its content', () => {
    const elsewhere: ArchivedEvent = {
      event_id: 'id-x',
      session_id: 't',
      seq: 1,
      content: () => {
        throw new Error('content must not be read');
      },
    };
    expect(classifyArchiveAppend(event, { withEventId: elsewhere })).toEqual({
      kind: 'conflict',
      reason: 'event_id_taken',
      existingEventId: 'id-x',
    });
  });

  it('answers a double collision (seq held by one event, id by another) with event_id_taken', () => {
    const verdict = classifyArchiveAppend(event, {
      withEventId: archived({ event_id: 'id-x', session_id: 't', seq: 1 }),
      atPlace: { event_id: 'id-y', session_id: 's', seq: 2 },
    });
    expect(verdict).toEqual({ kind: 'conflict', reason: 'event_id_taken', existingEventId: 'id-x' });
  });
});
