import fc from 'fast-check';
import { sessionEvents, SessionEventsBuilder } from '../../../test/factories/session-events';
import { deepFreeze } from '../../../test/support/deep-freeze';
import { SessionEvent } from './events/session-event';
import { RUN_STOP_REASONS } from './events/session-event-data.dto';
import { foldEvents } from './fold';
import { TASK_STATES } from './session-view';

// Properties of the fold over generated histories: what every consumer (projector, replay, time travel,
// verification) relies on when it folds the same log in pieces, twice, or with redeliveries.

type Step = (builder: SessionEventsBuilder) => void;

const itemId = fc.constantFrom('m-1', 'm-2', 'm-3', 'm-4');
const taskId = fc.constantFrom('t-1', 't-2', 't-3');

const lifeStep: fc.Arbitrary<Step> = fc.oneof(
  fc.array(itemId, { minLength: 1, maxLength: 3 }).map((ids) => (b: SessionEventsBuilder) => {
    b.contextAppended(ids.map((id) => ({ id })));
  }),
  fc
    .record({ id: itemId, input_tokens: fc.nat(9000), output_tokens: fc.nat(3000) })
    .map(({ id, ...usage }) => (b: SessionEventsBuilder) => {
      b.contextUpdated({ id, usage });
    }),
  fc
    .tuple(fc.string({ maxLength: 30 }), fc.subarray(['m-1', 'm-2', 'm-3', 'm-4']))
    .map(([summary, ids]) => (b: SessionEventsBuilder) => {
      b.contextCompacted(summary, ids);
    }),
  fc
    .record({
      id: taskId,
      state: fc.constantFrom(...TASK_STATES),
      owner: fc.option(fc.constantFrom('a-1', 'a-2')),
    })
    .map((task) => (b: SessionEventsBuilder) => {
      b.taskUpdated(task);
    }),
  fc.constant((b: SessionEventsBuilder) => {
    b.runStarted();
  }),
  fc.constantFrom(...RUN_STOP_REASONS).map((reason) => (b: SessionEventsBuilder) => {
    b.runStopped(reason);
  }),
  fc.nat(30).map((cur_iter) => (b: SessionEventsBuilder) => {
    b.stateUpdated({ cur_iter });
  }),
  fc.string({ maxLength: 30 }).map((name) => (b: SessionEventsBuilder) => {
    b.configUpdated({ name });
  }),
  fc.boolean().map((withTeam) => (b: SessionEventsBuilder) => {
    b.teamUpdated(withTeam ? undefined : null);
  }),
);

const anyStep: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: lifeStep, weight: 20 },
  {
    arbitrary: fc.constant((b: SessionEventsBuilder) => {
      b.deleted();
    }),
    weight: 1,
  },
);

function historyOf(steps: fc.Arbitrary<Step>): fc.Arbitrary<SessionEvent[]> {
  return fc.array(steps, { maxLength: 40 }).map((chosen) => {
    const builder = sessionEvents('s-prop').created();
    chosen.forEach((step) => step(builder));
    return deepFreeze(builder.events);
  });
}

const history = historyOf(anyStep);

describe(`${foldEvents.name} properties`, () => {
  it('is deterministic', () => {
    fc.assert(
      fc.property(history, (events) => {
        expect(foldEvents(undefined, events)).toEqual(foldEvents(undefined, structuredClone(events)));
      }),
    );
  });

  it('ignores redeliveries of events anywhere after their first delivery', () => {
    const redeliveries = fc.array(fc.record({ after: fc.nat(), pick: fc.nat() }), { maxLength: 15 });
    fc.assert(
      fc.property(history, redeliveries, (events, picks) => {
        const delivered = events.flatMap((event, index) => [
          event,
          ...picks
            .filter(({ after }) => after % events.length === index)
            .map(({ pick }) => events[pick % (index + 1)]),
        ]);
        const once = foldEvents(undefined, events);
        const withDuplicates = foldEvents(undefined, delivered);

        expect(withDuplicates.projection).toEqual(once.projection);
        expect(withDuplicates.applied).toBe(once.applied);
        expect(withDuplicates.rejected).toEqual([]);
      }),
    );
  });

  it('folds a prefix and then the rest from its projection into the fold of the whole', () => {
    fc.assert(
      fc.property(
        history.chain((events) => fc.tuple(fc.constant(events), fc.nat(events.length))),
        ([events, cut]) => {
          const prefix = foldEvents(undefined, events.slice(0, cut));
          const rest = foldEvents(prefix.projection, events.slice(cut));
          const whole = foldEvents(undefined, events);

          expect(rest.projection).toEqual(whole.projection);
          expect(prefix.applied + rest.applied).toBe(whole.applied);
        },
      ),
    );
  });

  it('applies the event after every hole in the seqs and records the hole', () => {
    const withHoles = historyOf(lifeStep).chain((events) =>
      fc.tuple(fc.constant(events), fc.subarray(events.slice(1).map((event) => event.seq))),
    );
    fc.assert(
      fc.property(withHoles, ([events, droppedSeqs]) => {
        const dropped = new Set(droppedSeqs);
        const kept = events.filter((event) => !dropped.has(event.seq));
        const expectedGaps = kept.flatMap((event, index) => {
          const expected_seq = index === 0 ? 1 : kept[index - 1].seq + 1;
          return event.seq > expected_seq
            ? [{ expected_seq, received_seq: event.seq, event_id: event.event_id }]
            : [];
        });

        const result = foldEvents(undefined, kept);

        expect(result.applied).toBe(kept.length);
        expect(result.gaps).toBe(expectedGaps.length);
        expect(result.projection?.gaps).toEqual(expectedGaps);
        expect(result.projection?.version).toBe(kept[kept.length - 1].seq);
      }),
    );
  });
});
