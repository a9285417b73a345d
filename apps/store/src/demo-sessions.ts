import { createHash } from 'node:crypto';

// A few realistic sessions for `npm start -- --demo`, sent through the ingest path like any runtime's events.
// Every id and timestamp is fixed, so seeding twice is a retry the log recognises and nothing is added.

export const DEMO_USER_ID = 'demo-user';
export const DEMO_AGENT_ID = 'demo-agent';

type RawEvent = Record<string, unknown>;

/** A UUID (version 5 layout) derived from `name`, the same on every run. */
function stableUuid(name: string): string {
  const hex = createHash('sha1').update(`agent-session-store demo ${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One session's events, numbered in order, a minute apart from `start`. */
class DemoSession {
  readonly events: RawEvent[] = [];

  constructor(
    readonly id: string,
    private readonly start: string,
  ) {}

  at(minutes: number): string {
    return new Date(Date.parse(this.start) + minutes * 60_000).toISOString();
  }

  add(type: string, data: RawEvent): this {
    const seq = this.events.length + 1;
    this.events.push({
      event_id: stableUuid(`${this.id}#${seq}`),
      session_id: this.id,
      seq,
      type,
      occurred_at: this.at(seq),
      schema_version: 2,
      data,
    });
    return this;
  }

  message(id: string, name: string, text: string, usage: RawEvent | null = null): RawEvent {
    const created_at = this.at(this.events.length + 1);
    return {
      id: `${this.id}-${id}`,
      name,
      content: [{ text, type: 'text', id: `${this.id}-${id}-text` }],
      metadata: {},
      created_at,
      finished_at: created_at,
      usage,
    };
  }
}

const chatModel = {
  type: 'openai_chat',
  credential_id: 'cred-demo',
  model: 'gpt-4.1',
  parameters: { temperature: 0.2 },
};

function created(
  source: 'user' | 'schedule' | 'channel',
  name: string,
  team_id: string | null = null,
): RawEvent {
  return {
    user_id: DEMO_USER_ID,
    agent_id: DEMO_AGENT_ID,
    config: {
      workspace_id: 'demo-workspace',
      name,
      chat_model_config: chatModel,
      fallback_chat_model_config: null,
    },
    source,
    source_schedule_id: source === 'schedule' ? 'nightly-triage' : null,
    team_id,
  };
}

function task(id: string, subject: string, state: string, extra: RawEvent = {}): RawEvent {
  return {
    task: {
      subject,
      description: '',
      metadata: {},
      created_at: '2025-03-03T09:05:00.000Z',
      state,
      id,
      owner: state === 'pending' ? null : DEMO_AGENT_ID,
      blocks: [],
      blocked_by: [],
      ...extra,
    },
  };
}

function agent(id: string, name: string): RawEvent {
  return {
    user_id: DEMO_USER_ID,
    data: {
      name,
      context_config: {
        trigger_ratio: 0.8,
        reserve_ratio: 0.1,
        compression_prompt: '<system-hint>Write a continuation summary.</system-hint>',
        summary_template:
          '<system-info>Here is a summary of your previous work\n{task_overview}</system-info>',
        summary_schema: {},
        tool_result_limit: 3000,
      },
      react_config: { max_iters: 20, stop_on_reject: false },
      id,
      system_prompt: "You're a helpful assistant.",
    },
    id,
    updated_at: '2025-03-01T08:00:00.000Z',
    created_at: '2025-03-01T08:00:00.000Z',
    source: 'user',
  };
}

function checkoutFix(): DemoSession {
  const session = new DemoSession('demo-session-checkout', '2025-03-03T09:00:00.000Z');
  return session
    .add('session.created', created('user', 'Fix flaky checkout test'))
    .add('session.run_started', { reply_id: `${session.id}-reply-1` })
    .add('session.context_appended', {
      items: [
        session.message('msg-1', 'user', 'The checkout test fails about one run in five. Please fix it.'),
        session.message('msg-2', 'assistant', 'Reproduced: the pay click races the payment iframe load.', {
          input_tokens: 2950,
          output_tokens: 380,
        }),
      ],
    })
    .add('session.task_updated', task(`${session.id}-task-1`, 'Reproduce the failure', 'completed'))
    .add('session.task_updated', task(`${session.id}-task-2`, 'Wait on the payment request', 'in_progress'))
    .add('session.context_appended', {
      items: [
        session.message(
          'msg-3',
          'assistant',
          'Replaced the sleep with waitForResponse on /pay; 50 runs green.',
          {
            input_tokens: 3120,
            output_tokens: 655,
          },
        ),
      ],
    })
    .add('session.run_stopped', { reason: 'completed' });
}

function nightlyTriage(): DemoSession {
  const session = new DemoSession('demo-session-triage', '2025-03-04T02:00:00.000Z');
  return session
    .add('session.created', created('schedule', 'Nightly CI triage'))
    .add('session.run_started', { reply_id: `${session.id}-reply-1` })
    .add('session.context_appended', {
      items: [
        session.message('msg-1', 'assistant', 'Three suites failed overnight; one needs a shell command.'),
      ],
    })
    .add('session.state_updated', {
      cur_iter: 2,
      permission_context: {
        mode: 'default',
        working_directories: { '/repo': { read: true } },
        allow_rules: {},
        deny_rules: {},
        ask_rules: { shell: ['*'] },
      },
    })
    .add('session.run_stopped', { reason: 'awaiting_permission' });
}

function releaseNotes(): DemoSession {
  const session = new DemoSession('demo-session-release', '2025-03-05T14:00:00.000Z');
  const team_id = 'demo-team-release';
  return session
    .add('session.created', created('channel', 'Draft the 2.4 release notes', team_id))
    .add('session.team_updated', {
      team: {
        team: {
          user_id: DEMO_USER_ID,
          session_id: session.id,
          data: {
            name: 'Release crew',
            description: 'Writes and reviews release notes.',
            member_ids: ['demo-reviewer'],
          },
          id: team_id,
          updated_at: session.at(2),
          created_at: session.at(2),
        },
        leader_agent: agent(DEMO_AGENT_ID, 'Release lead'),
        members: [{ agent: agent('demo-reviewer', 'Reviewer'), session_id: `${session.id}-reviewer` }],
      },
    })
    .add('session.run_started', { reply_id: `${session.id}-reply-1` })
    .add('session.context_appended', {
      items: [
        session.message('msg-1', 'user', 'Summarise the merged pull requests since 2.3 for the notes.'),
      ],
    });
}

/** The demo's events, in one ingest batch. */
export function demoEvents(): RawEvent[] {
  return [checkoutFix(), nightlyTriage(), releaseNotes()].flatMap((session) => session.events);
}
