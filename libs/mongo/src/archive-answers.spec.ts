import { sessionEvents, uuidFor } from '../../../test/factories/session-events';
import { answerAppends, withoutRepeats } from './archive-answers';

describe(answerAppends.name, () => {
  const [created, started] = sessionEvents('s-1').created().runStarted().events;
  const holderOf = (event: typeof created, write_token: string) => ({
    _id: event.event_id,
    session_id: event.session_id,
    seq: event.seq,
    write_token,
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
    expect(withoutRepeats([created, started, created, rival, started])).toEqual({
      distinct: [created, started, rival],
      repeats: 2,
    });
  });
});
