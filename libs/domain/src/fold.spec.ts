import { deepFreeze } from '../../../test/support/deep-freeze';
import { SEED_SESSION_VIEW, seedViewShapeDifferences } from '../../../test/support/seed-view-shape';
import { jsonShapeDifferences } from '../../../test/support/json-shape';
import {
  contextItem,
  realisticHistory,
  sessionEvents,
  SessionEventsBuilder,
  teamView,
  timestampAt,
} from '../../../test/factories/session-events';
import { SessionEvent } from './events/session-event';
import { applyEvent, foldEvents } from './fold';
import { FoldOutcome, SessionProjection } from './projection';

function project(builder: SessionEventsBuilder): SessionProjection {
  const { projection, rejected } = foldEvents(undefined, builder.events);
  expect(rejected).toEqual([]);
  if (projection === undefined) throw new Error('nothing was folded');
  return projection;
}

function applied(outcome: FoldOutcome): SessionProjection {
  if (outcome.kind !== 'applied') throw new Error(`expected applied, got ${JSON.stringify(outcome)}`);
  return outcome.projection;
}

/** Folds the builder's events, then applies its newest one to the fold of all the others. */
function applyLast(builder: SessionEventsBuilder): { before: SessionProjection; after: SessionProjection } {
  const events = builder.events;
  const before = deepFreeze(foldEvents(undefined, events.slice(0, -1)).projection!);
  return { before, after: applied(applyEvent(before, deepFreeze(events[events.length - 1]))) };
}

describe(applyEvent.name, () => {
  describe('session.created', () => {
    it('starts an idle view with empty state and the default contexts', () => {
      const events = sessionEvents('s-1', 'u-1', 'a-1').created().events;
      const projection = applied(applyEvent(undefined, events[0]));

      expect(projection).toMatchObject({ session_id: 's-1', version: 1, deleted: false, gaps: [] });
      expect(projection.last_event_id).toBe(events[0].event_id);
      expect(projection.view).toMatchObject({ is_running: false, status: 'idle', team: null });
      expect(projection.view.session).toMatchObject({
        id: 's-1',
        user_id: 'u-1',
        agent_id: 'a-1',
        source: 'user',
        source_schedule_id: null,
        created_at: events[0].occurred_at,
        updated_at: events[0].occurred_at,
      });
      expect(projection.view.session.state).toEqual({
        session_id: 's-1',
        summary: '',
        context: [],
        reply_id: events[0].event_id,
        cur_iter: 0,
        permission_context: {
          mode: 'default',
          working_directories: {},
          allow_rules: {},
          deny_rules: {},
          ask_rules: {},
        },
        tool_context: {
          max_cache_files: 100,
          max_cache_bytes: 25000,
          read_file_cache: [],
          activated_groups: [],
        },
        tasks_context: { tasks: [] },
      });
    });

    it('keeps the permission and tool contexts it carries', () => {
      const permission_context = {
        mode: 'explore' as const,
        working_directories: { '/w': {} },
        allow_rules: {},
        deny_rules: {},
        ask_rules: {},
      };
      const projection = project(
        sessionEvents().created({ permission_context, source: 'schedule', source_schedule_id: 'sch-1' }),
      );

      expect(projection.view.session.state.permission_context).toEqual(permission_context);
      expect(projection.view.session.source_schedule_id).toBe('sch-1');
    });

    it('is rejected on a session that exists', () => {
      const builder = sessionEvents().created().created();
      const outcome = applyEvent(project(sessionEvents().created()), builder.last);

      expect(outcome).toMatchObject({ kind: 'rejected', reason: 'already_created' });
    });
  });

  it('session.config_updated replaces only the keys it carries', () => {
    const { before, after } = applyLast(
      sessionEvents().created().configUpdated({ name: 'Renamed', chat_model_config: null }),
    );

    expect(after.view.session.config).toEqual({
      ...before.view.session.config,
      name: 'Renamed',
      chat_model_config: null,
    });
  });

  it('session.context_appended appends new items and replaces those with a known id in place', () => {
    const builder = sessionEvents()
      .created()
      .contextAppended([{ id: 'm-1' }, { id: 'm-2' }])
      .contextAppended([{ id: 'm-3' }, { id: 'm-1', name: 'user' }]);
    const { after } = applyLast(builder);

    expect(after.view.session.state.context.map((item) => [item.id, item.name])).toEqual([
      ['m-1', 'user'],
      ['m-2', 'assistant'],
      ['m-3', 'assistant'],
    ]);
  });

  describe('session.context_updated', () => {
    it('patches the item with its id', () => {
      const builder = sessionEvents()
        .created()
        .contextAppended([{ id: 'm-1' }, { id: 'm-2' }])
        .contextUpdated({
          id: 'm-2',
          finished_at: timestampAt(9),
          usage: { input_tokens: 10, output_tokens: 3 },
        });
      const { before, after } = applyLast(builder);

      expect(after.view.session.state.context[1]).toEqual({
        ...before.view.session.state.context[1],
        finished_at: timestampAt(9),
        usage: { input_tokens: 10, output_tokens: 3 },
      });
      expect(after.view.session.state.context[0]).toBe(before.view.session.state.context[0]);
    });

    it('leaves the items alone for an unknown id but still counts as applied', () => {
      const { before, after } = applyLast(
        sessionEvents().created().contextAppended().contextUpdated({ id: 'nope', usage: null }),
      );

      expect(after.view.session.state).toBe(before.view.session.state);
      expect(after.version).toBe(3);
    });
  });

  it('session.context_compacted removes the compacted items and sets the summary', () => {
    const builder = sessionEvents()
      .created()
      .contextAppended([{ id: 'm-1' }, { id: 'm-2' }, { id: 'm-3' }])
      .contextCompacted('Earlier: read the code.', ['m-1', 'm-2']);
    const { after } = applyLast(builder);

    expect(after.view.session.state.summary).toBe('Earlier: read the code.');
    expect(after.view.session.state.context.map((item) => item.id)).toEqual(['m-3']);
  });

  it('session.task_updated inserts a new task and replaces one with a known id', () => {
    const builder = sessionEvents()
      .created()
      .taskUpdated({ id: 't-1', blocks: ['t-2'] })
      .taskUpdated({ id: 't-2', blocked_by: ['t-1'] })
      .taskUpdated({ id: 't-1', blocks: ['t-2'], state: 'completed', owner: 'a-1' });
    const { after } = applyLast(builder);

    expect(
      after.view.session.state.tasks_context.tasks.map(({ id, state, owner }) => ({ id, state, owner })),
    ).toEqual([
      { id: 't-1', state: 'completed', owner: 'a-1' },
      { id: 't-2', state: 'pending', owner: null },
    ]);
  });

  it('session.run_started marks the view running with a new reply at iteration 0', () => {
    const { after } = applyLast(
      sessionEvents().created().stateUpdated({ reply_id: 'old', cur_iter: 4 }).runStarted('r-2'),
    );

    expect(after.view).toMatchObject({ is_running: true, status: 'running' });
    expect(after.view.session.state).toMatchObject({ reply_id: 'r-2', cur_iter: 0 });
  });

  describe('session.run_stopped', () => {
    it.each([
      ['completed', 'idle'],
      ['interrupted', 'idle'],
      ['failed', 'idle'],
      ['awaiting_permission', 'awaiting_permission'],
      ['awaiting_external_result', 'awaiting_external_result'],
    ] as const)('with reason %s stops the run with status %s', (reason, status) => {
      const { after } = applyLast(sessionEvents().created().runStarted('r-1').runStopped(reason));

      expect(after.view).toMatchObject({ is_running: false, status });
      expect(after.view.session.state.reply_id).toBe('r-1');
    });
  });

  it('session.state_updated replaces the keys it carries', () => {
    const tool_context = {
      max_cache_files: 5,
      max_cache_bytes: 100,
      read_file_cache: [],
      activated_groups: ['web'],
    };
    const { before, after } = applyLast(
      sessionEvents().created().runStarted('r-1').stateUpdated({ cur_iter: 2, tool_context }),
    );

    expect(after.view.session.state).toEqual({ ...before.view.session.state, cur_iter: 2, tool_context });
  });

  describe('session.team_updated', () => {
    it('sets the team and the session team_id', () => {
      const team = teamView({
        sessionId: 'session-1',
        userId: 'user-1',
        leaderAgentId: 'agent-1',
        teamId: 'team-9',
      });
      const { after } = applyLast(sessionEvents().created().teamUpdated(team));

      expect(after.view.team).toEqual(team);
      expect(after.view.session.team_id).toBe('team-9');
    });

    it('clears both with null', () => {
      const { after } = applyLast(sessionEvents().created().teamUpdated().teamUpdated(null));

      expect(after.view.team).toBeNull();
      expect(after.view.session.team_id).toBeNull();
    });
  });

  it('session.deleted marks the projection deleted and keeps the last view', () => {
    const { before, after } = applyLast(sessionEvents().created().contextAppended().deleted());

    expect(after.deleted).toBe(true);
    expect(after.view.session.state).toBe(before.view.session.state);
  });

  it('sets updated_at to the time of the last applied event and keeps created_at', () => {
    const builder = sessionEvents()
      .created()
      .runStarted(undefined, { occurred_at: '2025-04-01T10:00:00+02:00' });
    const { after } = applyLast(builder);

    expect(after.view.session.updated_at).toBe('2025-04-01T10:00:00+02:00');
    expect(after.view.session.created_at).toBe(builder.events[0].occurred_at);
  });

  it('skips an event whose seq was already applied', () => {
    const builder = sessionEvents().created().runStarted().runStopped();
    const projection = project(builder);

    expect(applyEvent(projection, builder.events[1])).toEqual({ kind: 'duplicate' });
    expect(applyEvent(projection, builder.events[2])).toEqual({ kind: 'duplicate' });
  });

  it('reports a missing seq that arrives after later ones as late, not as a duplicate', () => {
    const builder = sessionEvents().created().runStarted().runStopped().contextAppended();
    const [created, started, stopped, appended] = builder.events;
    const projection = foldEvents(undefined, [created, appended]).projection!;

    expect(applyEvent(projection, started)).toEqual({ kind: 'late' });
    expect(applyEvent(projection, stopped)).toEqual({ kind: 'late' });
    expect(applyEvent(projection, appended)).toEqual({ kind: 'duplicate' });
    expect(applyEvent(projection, created)).toEqual({ kind: 'duplicate' });
    expect(foldEvents(projection, [stopped, started])).toMatchObject({ late: 2, duplicates: 0, applied: 0 });
  });

  it('changes nothing after the tombstone', () => {
    const builder = sessionEvents().created().deleted().runStarted();
    const projection = project(sessionEvents().created().deleted());

    expect(applyEvent(projection, builder.last)).toEqual({ kind: 'after_delete' });
  });

  it('rejects an event before session.created', () => {
    const event = sessionEvents().created().runStarted().last;

    expect(applyEvent(undefined, event)).toMatchObject({ kind: 'rejected', reason: 'session_not_created' });
  });

  it('rejects an event of another session', () => {
    const other = sessionEvents('s-2').created().runStarted().last;

    expect(applyEvent(project(sessionEvents('s-1').created()), other)).toMatchObject({
      kind: 'rejected',
      reason: 'session_mismatch',
    });
  });

  it('applies an event past a gap and records the gap', () => {
    const builder = sessionEvents().created().runStarted().runStopped('completed', { seq: 5 });
    const { after } = applyLast(builder);

    expect(after.version).toBe(5);
    expect(after.gaps).toEqual([{ expected_seq: 3, received_seq: 5, event_id: builder.last.event_id }]);
    expect(after.view.is_running).toBe(false);
  });

  it('records a gap before a session.created with seq above 1', () => {
    const event = sessionEvents().created({}, { seq: 3 }).last;

    expect(applied(applyEvent(undefined, event)).gaps).toEqual([
      { expected_seq: 1, received_seq: 3, event_id: event.event_id },
    ]);
  });

  it('copies only what an event changes', () => {
    const { before, after } = applyLast(
      sessionEvents().created().contextAppended().taskUpdated({ id: 't-1' }),
    );

    expect(after.view.session.config).toBe(before.view.session.config);
    expect(after.view.session.state.context).toBe(before.view.session.state.context);
    expect(after.view.session.state.permission_context).toBe(before.view.session.state.permission_context);
  });
});

describe(foldEvents.name, () => {
  it('folds a realistic history into a view with exactly the seed document shape', () => {
    const { projection, applied: count } = foldEvents(undefined, realisticHistory('s-1', 'u-1', 'a-1'));

    expect(count).toBe(realisticHistory('s-1', 'u-1', 'a-1').length);
    expect(seedViewShapeDifferences(projection!.view)).toEqual([]);
    // Every nullable field holds a value but the schedule id of a session a user started.
    expect(jsonShapeDifferences(projection!.view, SEED_SESSION_VIEW, { extraKeys: ['status'] })).toEqual([
      'session.source_schedule_id: expected string, got null',
    ]);
  });

  it('folds the realistic history into the expected state', () => {
    const view = foldEvents(undefined, realisticHistory('s-1', 'u-1', 'a-1')).projection!.view;

    expect(view).toMatchObject({ is_running: false, status: 'idle' });
    expect(view.session.state).toMatchObject({ reply_id: 's-1-reply-3', cur_iter: 3 });
    expect(view.session.state.context.map((item) => item.id)).toEqual(['s-1-msg-3', 's-1-msg-4']);
    expect(view.session.state.tasks_context.tasks.map(({ id, state, owner }) => [id, state, owner])).toEqual([
      ['s-1-task-1', 'in_progress', 'agent-tester'],
      ['s-1-task-2', 'completed', 'a-1'],
      ['s-1-task-3', 'pending', null],
    ]);
    expect(view.session.team_id).toBe(view.team?.team.id);
    expect(view.team?.members).toHaveLength(2);
  });

  it('counts applied, duplicate, late, after-delete and rejected events and the gaps it recorded', () => {
    const builder = sessionEvents('s-1')
      .created()
      .runStarted()
      .runStopped('completed', { seq: 4 })
      .deleted()
      .runStarted();
    const foreign = sessionEvents('s-2').created().last;
    const [created, started, stopped, deleted, late] = builder.events;

    const result = foldEvents(undefined, [
      started,
      created,
      created,
      stopped,
      foreign,
      deleted,
      started,
      late,
    ]);

    // `started` was refused before session.created, so seq 2 is inside the recorded gap when it comes again: late.
    expect(result).toMatchObject({ applied: 3, duplicates: 1, late: 1, after_delete: 1, gaps: 1 });
    expect(result.rejected.map((rejection) => [rejection.event_id, rejection.reason])).toEqual([
      [started.event_id, 'session_not_created'],
      [foreign.event_id, 'session_mismatch'],
    ]);
    expect(result.projection).toMatchObject({ version: 5, deleted: true, last_event_id: deleted.event_id });
  });

  it('starts from a given projection and never mutates it or the events', () => {
    const events: SessionEvent[] = deepFreeze(realisticHistory());
    const start = deepFreeze(foldEvents(undefined, events.slice(0, 5)).projection);

    expect(() => foldEvents(start, events.slice(5))).not.toThrow();
    expect(foldEvents(start, events.slice(5)).projection).toEqual(foldEvents(undefined, events).projection);
  });

  it('returns the given projection when there is nothing to fold', () => {
    const start = foldEvents(undefined, realisticHistory()).projection;

    expect(foldEvents(start, [])).toEqual({
      projection: start,
      applied: 0,
      duplicates: 0,
      after_delete: 0,
      late: 0,
      gaps: 0,
      rejected: [],
    });
  });

  it('keeps items created by the factory helpers intact', () => {
    const item = contextItem({ id: 'm-9', name: 'user' });
    const projection = project(sessionEvents().created().contextAppended([item]));

    expect(projection.view.session.state.context).toEqual([item]);
  });
});
