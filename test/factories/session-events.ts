import { createHash } from 'node:crypto';
import {
  AgentRecord,
  ChatModelConfig,
  ContentBlock,
  ContextItem,
  CURRENT_SCHEMA_VERSION,
  RunStopReason,
  SessionConfig,
  SessionContextUpdatedData,
  SessionCreatedData,
  SessionEvent,
  SessionEventOf,
  SessionEventType,
  SessionStateUpdatedData,
  Task,
  TeamMember,
  TeamView,
  foldEvents,
  normalizeInstant,
  SessionProjection,
} from '@app/domain';

// Event factories with realistic defaults. Every default is deterministic (ids, UUIDs and timestamps derive
// from the session id and seq), so two runs of a test build identical events and folds.

export const DEFAULT_START = '2025-03-03T09:00:00Z';

export interface EnvelopeOverrides {
  event_id?: string;
  seq?: number;
  occurred_at?: string;
  schema_version?: number;
}

/** A UUID (version 5 layout) derived from `name`, so the same event gets the same id on every run. */
export function uuidFor(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `DEFAULT_START` plus `seconds`, in the UTC form parsing gives every date-time events carry. */
export function timestampAt(seconds: number, start = DEFAULT_START): string {
  return normalizeInstant(new Date(Date.parse(start) + seconds * 1000).toISOString())!;
}

/** One event with any envelope; seq defaults to 1 and the rest derive from session id and seq. */
export function sessionEvent<TType extends SessionEventType>(
  type: TType,
  data: SessionEventOf<TType>['data'],
  envelope: EnvelopeOverrides & { session_id?: string } = {},
): SessionEventOf<TType> {
  const session_id = envelope.session_id ?? 'session-1';
  const seq = envelope.seq ?? 1;
  return {
    event_id: envelope.event_id ?? uuidFor(`${session_id}#${seq}`),
    session_id,
    seq,
    type,
    occurred_at: envelope.occurred_at ?? timestampAt(seq),
    schema_version: envelope.schema_version ?? CURRENT_SCHEMA_VERSION,
    data,
  } as SessionEventOf<TType>;
}

export function chatModelConfig(overrides: Partial<ChatModelConfig> = {}): ChatModelConfig {
  return {
    type: 'openai_chat',
    credential_id: 'cred-openai-prod',
    model: 'gpt-4.1',
    parameters: { temperature: 0.2, max_tokens: 4096 },
    ...overrides,
  };
}

export function sessionConfig(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return {
    workspace_id: 'workspace-1',
    name: 'Fix flaky checkout test',
    chat_model_config: chatModelConfig(),
    fallback_chat_model_config: chatModelConfig({
      type: 'anthropic_chat',
      credential_id: 'cred-anthropic',
      model: 'claude-sonnet-4',
      parameters: { temperature: 0 },
    }),
    ...overrides,
  };
}

export function textBlock(text: string, id: string): ContentBlock {
  return { text, type: 'text', id };
}

export function contextItem(overrides: Partial<ContextItem> & { id: string }): ContextItem {
  return {
    name: 'assistant',
    content: [textBlock('Looking at the failing test first.', `${overrides.id}-block-1`)],
    metadata: {},
    created_at: DEFAULT_START,
    finished_at: null,
    usage: null,
    ...overrides,
  };
}

export function task(overrides: Partial<Task> & { id: string }): Task {
  return {
    subject: 'Reproduce the failure',
    description: 'Run the checkout suite until the flaky test fails and capture the log.',
    metadata: {},
    created_at: DEFAULT_START,
    state: 'pending',
    owner: null,
    blocks: [],
    blocked_by: [],
    ...overrides,
  };
}

export function agentRecord(overrides: { id: string; user_id: string; name?: string }): AgentRecord {
  return {
    user_id: overrides.user_id,
    data: {
      name: overrides.name ?? overrides.id,
      context_config: {
        trigger_ratio: 0.8,
        reserve_ratio: 0.1,
        compression_prompt: '<system-hint>Write a continuation summary.</system-hint>',
        summary_template:
          '<system-info>Here is a summary of your previous work\n{task_overview}</system-info>',
        summary_schema: { type: 'object', properties: { task_overview: { type: 'string' } } },
        tool_result_limit: 3000,
      },
      react_config: { max_iters: 20, stop_on_reject: false },
      id: overrides.id,
      system_prompt: "You're a helpful assistant.",
    },
    id: overrides.id,
    updated_at: '2025-02-01T08:00:00Z',
    created_at: '2025-02-01T08:00:00Z',
    source: 'user',
  };
}

/** A team led by `leaderAgentId` whose members each work in their own session. */
export function teamView(options: {
  sessionId: string;
  userId: string;
  leaderAgentId: string;
  memberAgentIds?: string[];
  teamId?: string;
}): TeamView {
  const memberAgentIds = options.memberAgentIds ?? ['agent-reviewer', 'agent-tester'];
  const members: TeamMember[] = memberAgentIds.map((agentId) => ({
    agent: agentRecord({ id: agentId, user_id: options.userId }),
    session_id: `${options.sessionId}-${agentId}`,
  }));
  return {
    team: {
      user_id: options.userId,
      session_id: options.sessionId,
      data: { name: 'Checkout squad', description: 'Fixes the checkout suite.', member_ids: memberAgentIds },
      id: options.teamId ?? `team-${options.sessionId}`,
      updated_at: '2025-02-01T08:00:00Z',
      created_at: '2025-02-01T08:00:00Z',
    },
    leader_agent: agentRecord({ id: options.leaderAgentId, user_id: options.userId, name: 'Leader' }),
    members,
  };
}

/**
 * Builds one session's events in order: each call appends an event with the next seq (or the seq given
 * in `envelope`, after which numbering continues from it) and returns the builder, so histories read as a
 * chain. `events` holds what was built; `last` the newest event.
 */
export class SessionEventsBuilder {
  readonly events: SessionEvent[] = [];
  private nextSeq = 1;
  private itemCount = 0;
  private runCount = 0;

  constructor(
    readonly sessionId: string,
    readonly userId = 'user-1',
    readonly agentId = 'agent-1',
  ) {}

  get last(): SessionEvent {
    return this.events[this.events.length - 1];
  }

  /** The seq the next event will get unless its envelope says otherwise. */
  get seq(): number {
    return this.nextSeq;
  }

  created(data: Partial<SessionCreatedData> = {}, envelope?: EnvelopeOverrides): this {
    return this.add(
      'session.created',
      {
        user_id: this.userId,
        agent_id: this.agentId,
        config: sessionConfig(),
        source: 'user',
        source_schedule_id: null,
        team_id: null,
        ...data,
      },
      envelope,
    );
  }

  configUpdated(config: Partial<SessionConfig>, envelope?: EnvelopeOverrides): this {
    return this.add('session.config_updated', { config }, envelope);
  }

  /** Items get ids `<session>-item-<n>` and this event's time unless given. */
  contextAppended(items: Partial<ContextItem>[] = [{}], envelope?: EnvelopeOverrides): this {
    const created_at = this.occurredAt(envelope);
    return this.add(
      'session.context_appended',
      { items: items.map((item) => contextItem({ created_at, ...item, id: item.id ?? this.nextItemId() })) },
      envelope,
    );
  }

  contextUpdated(data: SessionContextUpdatedData, envelope?: EnvelopeOverrides): this {
    return this.add('session.context_updated', data, envelope);
  }

  contextCompacted(summary: string, compacted_item_ids: string[], envelope?: EnvelopeOverrides): this {
    return this.add('session.context_compacted', { summary, compacted_item_ids }, envelope);
  }

  taskUpdated(overrides: Partial<Task> & { id: string }, envelope?: EnvelopeOverrides): this {
    return this.add('session.task_updated', { task: task(overrides) }, envelope);
  }

  /** Reply ids default to `<session>-reply-<n>`. */
  runStarted(reply_id?: string, envelope?: EnvelopeOverrides): this {
    this.runCount += 1;
    return this.add(
      'session.run_started',
      { reply_id: reply_id ?? `${this.sessionId}-reply-${this.runCount}` },
      envelope,
    );
  }

  runStopped(reason: RunStopReason = 'completed', envelope?: EnvelopeOverrides): this {
    return this.add('session.run_stopped', { reason }, envelope);
  }

  stateUpdated(data: SessionStateUpdatedData, envelope?: EnvelopeOverrides): this {
    return this.add('session.state_updated', data, envelope);
  }

  /** Defaults to a team led by this session's agent with two members. */
  teamUpdated(team?: TeamView | null, envelope?: EnvelopeOverrides): this {
    const value =
      team === undefined
        ? teamView({ sessionId: this.sessionId, userId: this.userId, leaderAgentId: this.agentId })
        : team;
    return this.add('session.team_updated', { team: value }, envelope);
  }

  deleted(envelope?: EnvelopeOverrides): this {
    return this.add('session.deleted', {}, envelope);
  }

  /** Any event type with explicit data, for cases the named methods do not cover. */
  add<TType extends SessionEventType>(
    type: TType,
    data: SessionEventOf<TType>['data'],
    envelope: EnvelopeOverrides = {},
  ): this {
    const seq = envelope.seq ?? this.nextSeq;
    this.events.push(sessionEvent(type, data, { ...envelope, seq, session_id: this.sessionId }));
    this.nextSeq = seq + 1;
    return this;
  }

  private occurredAt(envelope: EnvelopeOverrides | undefined): string {
    return envelope?.occurred_at ?? timestampAt(envelope?.seq ?? this.nextSeq);
  }

  private nextItemId(): string {
    this.itemCount += 1;
    return `${this.sessionId}-item-${this.itemCount}`;
  }
}

export function sessionEvents(
  sessionId = 'session-1',
  userId = 'user-1',
  agentId = 'agent-1',
): SessionEventsBuilder {
  return new SessionEventsBuilder(sessionId, userId, agentId);
}

/**
 * A history that exercises every field of the view: a config change, three runs with messages and token
 * usage, tasks that block each other and move through their states, a permission pause, a compaction and a
 * team with a leader and members. Its fold fills every nullable field of the seed with a value.
 */
export function realisticHistory(
  sessionId = 'session-1',
  userId = 'user-1',
  agentId = 'agent-1',
): SessionEvent[] {
  const id = (suffix: string) => `${sessionId}-${suffix}`;
  const fix = {
    id: id('task-1'),
    subject: 'Make the payment wait deterministic',
    description: 'Replace the fixed sleep with a wait on the payment request.',
    blocks: [id('task-3')],
    blocked_by: [id('task-2')],
  };
  const reproduce = { id: id('task-2'), subject: 'Reproduce the failure', blocks: [id('task-1')] };
  const reenable = {
    id: id('task-3'),
    subject: 'Re-enable the test in CI',
    description: 'Drop the retry annotation once the fix is in.',
    blocked_by: [id('task-1')],
  };
  return sessionEvents(sessionId, userId, agentId)
    .created()
    .configUpdated({ name: 'Fix flaky checkout test (retry budget)' })
    .runStarted(id('reply-1'))
    .contextAppended([
      {
        id: id('msg-1'),
        name: 'user',
        content: [
          textBlock('The checkout test fails about one run in five. Please fix it.', id('msg-1-text')),
        ],
        finished_at: timestampAt(4),
      },
      { id: id('msg-2'), content: [textBlock('Reading the test and its fixtures.', id('msg-2-text'))] },
    ])
    .stateUpdated({
      cur_iter: 1,
      tool_context: {
        max_cache_files: 100,
        max_cache_bytes: 25000,
        read_file_cache: [
          {
            lines: ["it('completes checkout', async () => {", '  await page.click(PAY);'],
            updated_at: 1741000000,
            bytes: 64,
            file_path: 'apps/web/test/checkout.spec.ts',
          },
        ],
        activated_groups: ['filesystem', 'shell'],
      },
    })
    .taskUpdated(fix)
    .taskUpdated(reproduce)
    .taskUpdated(reenable)
    .contextUpdated({
      id: id('msg-2'),
      finished_at: timestampAt(8),
      usage: { input_tokens: 1830, output_tokens: 412 },
    })
    .runStopped('completed')
    .teamUpdated()
    .runStarted(id('reply-2'))
    .taskUpdated({ ...reproduce, state: 'in_progress', owner: agentId })
    .contextAppended([
      {
        id: id('msg-3'),
        content: [textBlock('Reproduced: the click races the payment iframe load.', id('msg-3-text'))],
        metadata: { tool_calls: [{ name: 'shell', exit_code: 1 }] },
        finished_at: timestampAt(15),
        usage: { input_tokens: 2950, output_tokens: 380 },
      },
    ])
    .taskUpdated({ ...reproduce, state: 'completed', owner: agentId, metadata: { evidence: 'ci-run-4411' } })
    .stateUpdated({
      cur_iter: 2,
      permission_context: {
        mode: 'accept_edits',
        working_directories: { '/repo': { read: true, write: true } },
        allow_rules: { shell: ['npm test*'] },
        deny_rules: { shell: ['rm -rf*'] },
        ask_rules: { network: ['*'] },
      },
    })
    .runStopped('awaiting_permission')
    .runStarted(id('reply-3'))
    .contextCompacted('Reproduced the race between the pay click and the iframe load; fix pending.', [
      id('msg-1'),
      id('msg-2'),
    ])
    .taskUpdated({ ...fix, state: 'in_progress', owner: 'agent-tester' })
    .contextAppended([
      {
        id: id('msg-4'),
        content: [
          textBlock('Replaced the sleep with waitForResponse on /pay; 50 runs green.', id('msg-4-text')),
        ],
        finished_at: timestampAt(23),
        usage: { input_tokens: 3120, output_tokens: 655 },
      },
    ])
    .stateUpdated({ cur_iter: 3 })
    .runStopped('completed').events;
}

/** The projection `realisticHistory` folds into. */
export function realisticProjection(
  sessionId = 'session-1',
  userId = 'user-1',
  agentId = 'agent-1',
): SessionProjection {
  const projection = foldEvents(undefined, realisticHistory(sessionId, userId, agentId)).projection;
  if (projection === undefined) throw new Error('realisticHistory must fold into a projection');
  return projection;
}
