import { assertNever } from './assert-never';
import { RunStopReason } from './events/session-event-data.dto';
import {
  SessionConfigUpdated,
  SessionContextAppended,
  SessionContextCompacted,
  SessionContextUpdated,
  SessionCreated,
  SessionEvent,
  SessionRunStarted,
  SessionRunStopped,
  SessionStateUpdated,
  SessionTaskUpdated,
  SessionTeamUpdated,
} from './events/session-event';
import { FoldOutcome, FoldRejectionReason, FoldResult, SessionProjection } from './projection';
import { defaultPermissionContext, defaultToolContext } from './session-defaults';
import { SessionState, SessionStatus, SessionView } from './session-view';

/**
 * The version of what this fold produces. Every view generation is stamped with the version that built it, and a
 * projector refuses to write into a generation of another version ("rebuild required"), so views folded by two
 * different folds never mix. Bump it whenever the fold's output for some history changes (a field derived
 * differently, a new field, another default), then run `rebuild`.
 */
// 2: `state.reply_id` is the created event's id from creation on (it was null until the first run), and views
// hold date-times in the UTC form parsing now gives them.
export const FOLD_VERSION = 2;

// The only code that computes view state. Pure, and it never mutates its inputs: each event copies just
// the objects on the path it changes and shares the rest with the previous view, so folding a long
// history costs what the events change, not the size of the view times the number of events. The result
// shares objects with the previous projection and with the events, so callers treat all three as immutable.

export function applyEvent(projection: SessionProjection | undefined, event: SessionEvent): FoldOutcome {
  if (projection === undefined) {
    if (event.type !== 'session.created') {
      return rejected('session_not_created', `${event.type} (seq ${event.seq}) before session.created`);
    }
  } else {
    if (event.session_id !== projection.session_id) {
      return rejected(
        'session_mismatch',
        `event for session ${event.session_id} folded into session ${projection.session_id}`,
      );
    }
    if (event.seq <= projection.version)
      return fillsGap(projection, event) ? { kind: 'late' } : { kind: 'duplicate' };
    if (projection.deleted) return { kind: 'after_delete' };
    if (event.type === 'session.created') {
      return rejected(
        'already_created',
        `session.created (seq ${event.seq}) on a session at seq ${projection.version}`,
      );
    }
  }
  return { kind: 'applied', projection: advance(projection, event) };
}

export function foldEvents(
  projection: SessionProjection | undefined,
  events: readonly SessionEvent[],
): FoldResult {
  const result: FoldResult = {
    projection,
    applied: 0,
    duplicates: 0,
    after_delete: 0,
    late: 0,
    gaps: 0,
    rejected: [],
  };
  for (const event of events) {
    const outcome = applyEvent(result.projection, event);
    switch (outcome.kind) {
      case 'applied':
        result.gaps += outcome.projection.gaps.length - (result.projection?.gaps.length ?? 0);
        result.projection = outcome.projection;
        result.applied += 1;
        break;
      case 'duplicate':
        result.duplicates += 1;
        break;
      case 'after_delete':
        result.after_delete += 1;
        break;
      case 'late':
        result.late += 1;
        break;
      case 'rejected':
        result.rejected.push({ event_id: event.event_id, reason: outcome.reason, message: outcome.message });
        break;
      default:
        assertNever(outcome);
    }
  }
  return result;
}

function fillsGap(projection: SessionProjection, event: SessionEvent): boolean {
  return projection.gaps.some((gap) => event.seq >= gap.expected_seq && event.seq < gap.received_seq);
}

function rejected(reason: FoldRejectionReason, message: string): FoldOutcome {
  return { kind: 'rejected', reason, message };
}

function advance(previous: SessionProjection | undefined, event: SessionEvent): SessionProjection {
  const version = previous?.version ?? 0;
  const gaps = previous?.gaps ?? [];
  const view = evolve(previous?.view, event);
  return {
    session_id: event.session_id,
    version: event.seq,
    deleted: event.type === 'session.deleted',
    gaps:
      event.seq > version + 1
        ? [...gaps, { expected_seq: version + 1, received_seq: event.seq, event_id: event.event_id }]
        : gaps,
    last_event_id: event.event_id,
    view: { ...view, session: { ...view.session, updated_at: event.occurred_at } },
  };
}

function evolve(view: SessionView | undefined, event: SessionEvent): SessionView {
  switch (event.type) {
    case 'session.created':
      return createdView(event);
    case 'session.config_updated':
      return updateConfig(existing(view, event), event);
    case 'session.context_appended':
      return appendContext(existing(view, event), event);
    case 'session.context_updated':
      return updateContextItem(existing(view, event), event);
    case 'session.context_compacted':
      return compactContext(existing(view, event), event);
    case 'session.task_updated':
      return updateTask(existing(view, event), event);
    case 'session.run_started':
      return startRun(existing(view, event), event);
    case 'session.run_stopped':
      return stopRun(existing(view, event), event);
    case 'session.state_updated':
      return updateState(existing(view, event), event);
    case 'session.team_updated':
      return updateTeam(existing(view, event), event);
    case 'session.deleted':
      return existing(view, event);
    default:
      return assertNever(event);
  }
}

// applyEvent admits every type but session.created only onto an existing projection.
function existing(view: SessionView | undefined, event: SessionEvent): SessionView {
  if (view === undefined) throw new Error(`${event.type} reached the fold without a session`);
  return view;
}

function createdView({ event_id, session_id, occurred_at, data }: SessionCreated): SessionView {
  return {
    session: {
      user_id: data.user_id,
      agent_id: data.agent_id,
      config: data.config,
      id: session_id,
      updated_at: occurred_at,
      created_at: occurred_at,
      source: data.source,
      source_schedule_id: data.source_schedule_id,
      team_id: data.team_id,
      state: {
        session_id,
        summary: '',
        context: [],
        // The origin service creates a reply id with the session, so `reply_id` is a string from the start.
        // The fold takes the created event's id, a UUID no other session shares, rather than minting one: the
        // same history must give the same view on every rebuild and in every store.
        reply_id: event_id,
        cur_iter: 0,
        permission_context: data.permission_context ?? defaultPermissionContext(),
        tool_context: data.tool_context ?? defaultToolContext(),
        tasks_context: { tasks: [] },
      },
    },
    is_running: false,
    status: 'idle',
    team: null,
  };
}

function updateConfig(view: SessionView, { data }: SessionConfigUpdated): SessionView {
  return { ...view, session: { ...view.session, config: withPresentKeys(view.session.config, data.config) } };
}

function appendContext(view: SessionView, { data }: SessionContextAppended): SessionView {
  return withState(view, { context: upsertById(view.session.state.context, data.items) });
}

function updateContextItem(view: SessionView, { data }: SessionContextUpdated): SessionView {
  const { id, ...patch } = data;
  const context = view.session.state.context;
  const index = context.findLastIndex((item) => item.id === id);
  if (index === -1) return view;
  const next = context.slice();
  next[index] = withPresentKeys(context[index], patch);
  return withState(view, { context: next });
}

function compactContext(view: SessionView, { data }: SessionContextCompacted): SessionView {
  const compacted = new Set(data.compacted_item_ids);
  return withState(view, {
    summary: data.summary,
    context: view.session.state.context.filter((item) => !compacted.has(item.id)),
  });
}

function updateTask(view: SessionView, { data }: SessionTaskUpdated): SessionView {
  return withState(view, {
    tasks_context: { tasks: upsertById(view.session.state.tasks_context.tasks, [data.task]) },
  });
}

function startRun(view: SessionView, { data }: SessionRunStarted): SessionView {
  return {
    ...withState(view, { reply_id: data.reply_id, cur_iter: 0 }),
    is_running: true,
    status: 'running',
  };
}

function stopRun(view: SessionView, { data }: SessionRunStopped): SessionView {
  return { ...view, is_running: false, status: statusAfterStop(data.reason) };
}

function statusAfterStop(reason: RunStopReason): SessionStatus {
  switch (reason) {
    case 'completed':
    case 'interrupted':
    case 'failed':
      return 'idle';
    case 'awaiting_permission':
    case 'awaiting_external_result':
      return reason;
    default:
      return assertNever(reason);
  }
}

function updateState(view: SessionView, { data }: SessionStateUpdated): SessionView {
  return withState(view, withPresentKeys<Partial<SessionState>>({}, data));
}

function updateTeam(view: SessionView, { data }: SessionTeamUpdated): SessionView {
  return { ...view, team: data.team, session: { ...view.session, team_id: data.team?.team.id ?? null } };
}

function withState(view: SessionView, changes: Partial<SessionState>): SessionView {
  const session = view.session;
  return { ...view, session: { ...session, state: { ...session.state, ...changes } } };
}

/** Copies `patch`'s keys onto `target`, skipping keys a caller spelled out as undefined. */
function withPresentKeys<T extends object>(target: T, patch: Partial<T>): T {
  const next = { ...target };
  for (const key of Object.keys(patch) as (keyof T)[]) {
    const value = patch[key];
    if (value !== undefined) next[key] = value as T[keyof T];
  }
  return next;
}

/** Replaces items with the same id in place and appends the others, in order. */
function upsertById<T extends { id: string }>(list: readonly T[], updates: readonly T[]): T[] {
  const next = list.slice();
  for (const update of updates) {
    // A scan per update beats indexing the whole list: events carry a handful of items, lists hold
    // thousands, and the item an event revisits is usually a recent one, so the scan starts at the end.
    const position = next.findLastIndex((item) => item.id === update.id);
    if (position === -1) next.push(update);
    else next[position] = update;
  }
  return next;
}
