// One line about an event's data, for the timeline; the full payload is one click away.

const MAX_TEXT = 80;

type Data = Record<string, unknown>;

export function summarizeEvent(type: string, data: Data): string {
  switch (type) {
    case 'session.created':
      return [
        quoted(record(data.config).name),
        `user ${String(data.user_id)}`,
        `agent ${String(data.agent_id)}`,
        `source ${String(data.source)}`,
        data.source_schedule_id ? `schedule ${String(data.source_schedule_id)}` : null,
        data.team_id ? `team ${String(data.team_id)}` : null,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'session.config_updated':
      return `config: ${Object.keys(record(data.config)).join(', ') || 'nothing'}`;
    case 'session.context_appended': {
      const items = Array.isArray(data.items) ? data.items.map(record) : [];
      const first = items[0];
      const text = first ? `${String(first.name)}: ${quoted(firstText(first))}` : '';
      return `${plural(items.length, 'message')}${text ? ` · ${text}` : ''}${items.length > 1 ? ' …' : ''}`;
    }
    case 'session.context_updated':
      return [
        `message ${String(data.id)}`,
        'finished_at' in data ? (data.finished_at ? 'finished' : 'unfinished') : null,
        data.usage ? tokens(record(data.usage)) : null,
        data.content ? 'content' : null,
        data.metadata ? 'metadata' : null,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'session.context_compacted':
      return `${plural(Array.isArray(data.compacted_item_ids) ? data.compacted_item_ids.length : 0, 'message')} compacted · ${quoted(data.summary)}`;
    case 'session.task_updated': {
      const task = record(data.task);
      return `task ${quoted(task.subject)} → ${String(task.state)}${task.owner ? ` · ${String(task.owner)}` : ''}`;
    }
    case 'session.run_started':
      return `reply ${String(data.reply_id)}`;
    case 'session.run_stopped':
      return `reason ${String(data.reason)}`;
    case 'session.state_updated':
      return Object.keys(data).join(', ') || 'nothing';
    case 'session.team_updated': {
      const team = record(record(data.team).team);
      return data.team ? `team ${quoted(record(team.data).name ?? team.id)}` : 'team removed';
    }
    case 'session.deleted':
      return 'deleted: gone from lists, history kept';
    default:
      return Object.keys(data).join(', ');
  }
}

function record(value: unknown): Data {
  return typeof value === 'object' && value !== null ? (value as Data) : {};
}

function firstText(message: Data): unknown {
  const content = Array.isArray(message.content) ? message.content.map(record) : [];
  return content.find((part) => typeof part.text === 'string')?.text ?? '';
}

function tokens(usage: Data): string {
  return `${String(usage.input_tokens)} in / ${String(usage.output_tokens)} out tokens`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A string in quotes, cut to one line of MAX_TEXT characters. */
export function quoted(value: unknown): string {
  const text = String(value ?? '').replace(/\s+/g, ' ');
  return `“${text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text}”`;
}
