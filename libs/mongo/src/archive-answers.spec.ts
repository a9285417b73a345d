import { SessionEvent } from '@app/domain';
import { sessionEvents, uuidFor } from '../../../test/factories/session-events';
import { answerAppends, withoutRepeats } from './archive-answers';

describe(answerAppends.name, () => {
  const [created, started] = sessionEvents('s-1').created().runStarted().events;
  const holderOf = (event: typeof created, write_token: string) => ({
    _id: event.event_id,
    session_id: event.session_id,
    seq: event.seq,
    write_token,
    event: JSON.stringify(event),
  });

  it('tells events this call stored from the same events stored earlier', () => {
    const holders = [holderOf(created, 'mine'), holderOf(started, 'earlier')];
    expect(answerAppends([created, started], holders, 'mine')).toEqual({
      stored: 1,
      duplicates: 1,
      conflicts: [],
      unattempted: [],
    });
  });

  it('names the event holding a taken seq, and the reused event_id held elsewhere', () => {
    const impostor = { ...started, event_id: uuidFor('impostor') };
    const elsewhere = { ...created, session_id: 's-2' };
    const holders = [holderOf(created, 'earlier'), holderOf(started, 'earlier')];
    expect(answerAppends([impostor, elsewhere], holders, 'mine')).toEqual({
      stored: 0,
      duplicates: 0,
      conflicts: [
        { event: impostor, reason: 'seq_taken', existingEventId: started.event_id },
        { event: elsewhere, reason: 'event_id_taken', existingEventId: created.event_id },
      ],
      unattempted: [],
    });
  });

  it('refuses an event whose id and place hold other content, even when this call stored that content', () => {
    const edited = { ...started, data: { reply_id: 'another-reply' } } as SessionEvent;
    for (const token of ['earlier', 'mine']) {
      expect(answerAppends([edited], [holderOf(started, token)], 'mine')).toEqual({
        stored: 0,
        duplicates: 0,
        conflicts: [{ event: edited, reason: 'content_differs', existingEventId: started.event_id }],
        unattempted: [],
      });
    }
  });

  it('takes the same content in another key order as a retry', () => {
    const { data, ...envelope } = started;
    const reordered = { data, ...envelope } as SessionEvent;
    expect(Object.keys(reordered)[0]).toBe('data');
    expect(answerAppends([reordered], [holderOf(started, 'earlier')], 'mine').duplicates).toBe(1);
  });

  it('resends an event nothing holds yet, as a server that stopped early leaves it', () => {
    expect(answerAppends([created, started], [holderOf(created, 'mine')], 'mine')).toEqual({
      stored: 1,
      duplicates: 0,
      conflicts: [],
      unattempted: [started],
    });
  });
});

describe(withoutRepeats.name, () => {
  it('keeps the first of identical events and counts the rest', () => {
    const [created, started] = sessionEvents('s-1').created().runStarted().events;
    const rival = { ...started, event_id: uuidFor('rival') };
    const edited = { ...started, data: { reply_id: 'another-reply' } } as SessionEvent;
    expect(withoutRepeats([created, started, created, rival, started, edited])).toEqual({
      distinct: [created, started, rival, edited],
      repeats: 2,
    });
  });
});
