import { SessionEvent } from '@app/domain';
import { sessionEvents, uuidFor } from '../../../test/factories/session-events';
import { answerFromHolders, splitRepeats } from './archive-answers';
import { toArchiveDocument } from './archive-document';

describe(splitRepeats.name, () => {
  it('keeps the first claim to each event_id and place for the insert, and the rest for later', () => {
    const [created, started] = sessionEvents('s-1').created().runStarted().events;
    const rival = { ...started, event_id: uuidFor('rival') };
    const edited = { ...started, data: { reply_id: 'another-reply' } } as SessionEvent;
    const elsewhere = { ...sessionEvents('s-2').created().last, event_id: created.event_id };
    expect(splitRepeats([created, started, created, rival, edited, elsewhere])).toEqual({
      firsts: [created, started],
      later: [created, rival, edited, elsewhere],
    });
  });
});

describe(answerFromHolders.name, () => {
  const [created, started] = sessionEvents('s-1').created().runStarted().events;
  const holders = [created, started].map((event) => toArchiveDocument(event, new Date()));

  it('answers redeliveries, taken seqs, reused ids and edits by the ports rule, and passes on what nothing holds', () => {
    const impostor = { ...started, event_id: uuidFor('impostor') };
    const elsewhere = { ...created, session_id: 's-2' };
    const edited = { ...started, data: { reply_id: 'another-reply' } } as SessionEvent;
    const next = sessionEvents('s-1').created().runStarted().runStopped().last;
    expect(answerFromHolders([created, impostor, elsewhere, edited, next], holders)).toEqual({
      duplicates: 1,
      conflicts: [
        { event: impostor, reason: 'seq_taken', existingEventId: started.event_id },
        { event: elsewhere, reason: 'event_id_taken', existingEventId: created.event_id },
        { event: edited, reason: 'content_differs', existingEventId: started.event_id },
      ],
      fresh: [next],
    });
  });

  it('takes the same content in another key order as a retry', () => {
    const { data, ...envelope } = started;
    const reordered = { data, ...envelope } as SessionEvent;
    expect(answerFromHolders([reordered], holders).duplicates).toBe(1);
  });
});
