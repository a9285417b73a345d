import { realisticHistory, sessionEvents } from '../../../../test/factories/session-events';
import { MAX_FREEFORM_DEPTH, MAX_ID_LENGTH, MAX_TEXT_BYTES } from './limits';
import { parseSessionEvent, parseSessionEventJson, ParseResult } from './parse';
import { SESSION_EVENT_TYPES, SessionEvent } from './session-event';
import { CURRENT_SCHEMA_VERSION } from './upcast';

const created = sessionEvents().created().last;
const appended = sessionEvents()
  .created()
  .contextAppended([{ usage: { input_tokens: 1, output_tokens: 2 } }]).last;

/**
 * A JSON copy of `event` with each path in `changes` set to its value, or removed where the value is
 * undefined. Paths read like the parser's: `data.items[0].usage`.
 */
function broken(event: SessionEvent, changes: Record<string, unknown>): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(event));
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split(/\.|\[(\d+)\]/).filter((key) => key !== undefined && key !== '');
    const parent = keys.slice(0, -1).reduce((node, key) => (node as Record<string, unknown>)[key], copy);
    const container = parent as Record<string, unknown>;
    const last = keys[keys.length - 1];
    if (value === undefined) delete container[last];
    else container[last] = value;
  }
  return copy;
}

function errorsOf(result: ParseResult) {
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.errors;
}

function pathsOf(result: ParseResult): string[] {
  return errorsOf(result).map((error) => error.path);
}

function nested(levels: number): Record<string, unknown> {
  return levels === 1 ? { leaf: true } : { next: nested(levels - 1) };
}

describe(parseSessionEvent.name, () => {
  it('accepts every event of a realistic history, covering every event type, unchanged', () => {
    const history = [...realisticHistory(), sessionEvents().created().deleted().last];
    expect(new Set(history.map((event) => event.type))).toEqual(new Set(SESSION_EVENT_TYPES));

    for (const event of history) {
      expect(parseSessionEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
    }
  });

  it('accepts a session started by a schedule with its schedule id', () => {
    const event = sessionEvents().created({ source: 'schedule', source_schedule_id: 'sch-1' }).last;

    expect(parseSessionEvent(event).ok).toBe(true);
  });

  it('rejects a missing field with its path', () => {
    expect(errorsOf(parseSessionEvent(broken(created, { 'data.config.workspace_id': undefined })))).toEqual([
      { path: 'data.config.workspace_id', message: 'data.config.workspace_id is required' },
    ]);
  });

  it('rejects a value of the wrong type with its path', () => {
    expect(
      errorsOf(parseSessionEvent(broken(appended, { 'data.items[0].usage.input_tokens': 'many' }))),
    ).toEqual([
      {
        path: 'data.items[0].usage.input_tokens',
        message: `data.items[0].usage.input_tokens must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
      },
    ]);
  });

  it('rejects a non-object where an element of a list is expected', () => {
    expect(pathsOf(parseSessionEvent(broken(appended, { 'data.items[1]': 'hello' })))).toEqual([
      'data.items',
      'data.items[1]',
    ]);
  });

  it('rejects a list where an element of a list is expected', () => {
    const items = (JSON.parse(JSON.stringify(appended)) as { data: { items: unknown[] } }).data.items;

    expect(errorsOf(parseSessionEvent(broken(appended, { 'data.items[0]': items })))).toEqual([
      { path: 'data.items', message: 'each value in data.items must be an object' },
    ]);
  });

  it('rejects an unknown type on "type"', () => {
    const errors = errorsOf(parseSessionEvent(broken(created, { type: 'session.renamed' })));

    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('type');
    expect(errors[0].message).toContain('type must be one of the following values');
  });

  it.each([0, -1, 1.5])('rejects seq %s', (seq) => {
    expect(pathsOf(parseSessionEvent(broken(created, { seq })))).toEqual(['seq']);
  });

  it.each([
    '2025-03-03T09:00:00',
    '2025-03-03 09:00:00Z',
    '2025-02-30T09:00:00Z',
    '2025-03-11T09:30+0100',
    '2025-03-03T09:00:00-0800',
    'yesterday',
    1741000000,
  ])('rejects the timestamp %p, which is not RFC 3339 with a timezone', (occurred_at) => {
    expect(errorsOf(parseSessionEvent(broken(created, { occurred_at })))).toEqual([
      {
        path: 'occurred_at',
        message: 'occurred_at must be an RFC 3339 date-time with a timezone (Z or ±hh:mm)',
      },
    ]);
  });

  it.each([
    ['2025-03-03T09:00:00Z', '2025-03-03T09:00:00Z'],
    ['2025-03-03T09:00:00.000Z', '2025-03-03T09:00:00Z'],
    ['2025-03-03t14:30:00.123456+05:30', '2025-03-03T09:00:00.123456Z'],
    ['2025-03-03T01:00:00.5-08:00', '2025-03-03T09:00:00.5Z'],
  ])('accepts the timestamp %p and writes it as pydantic does in UTC: %p', (occurred_at, written) => {
    const result = parseSessionEvent(broken(created, { occurred_at }));

    expect(result.ok && result.event.occurred_at).toBe(written);
  });

  it('writes every date-time of the data in UTC too, leaving the input as it was', () => {
    const input = broken(appended, {
      'data.items[0].created_at': '2025-03-03T10:00:00+01:00',
      'data.items[0].finished_at': '2025-03-03t10:00:01.250000+01:00',
    });
    const before = JSON.stringify(input);

    const result = parseSessionEvent(input);

    expect(
      result.ok && result.event.type === 'session.context_appended' && result.event.data.items[0],
    ).toMatchObject({
      created_at: '2025-03-03T09:00:00Z',
      finished_at: '2025-03-03T09:00:01.25Z',
    });
    expect(JSON.stringify(input)).toBe(before);
  });

  it.each([
    ['data.items[0].created_at', appended],
    ['data.items[0].finished_at', appended],
  ])('refuses a date-time that is not RFC 3339 at %s', (path, event) => {
    expect(pathsOf(parseSessionEvent(broken(event, { [path]: '2025-03-11T09:30+0100' })))).toEqual([path]);
  });

  it('rejects an event id that is not a UUID', () => {
    expect(pathsOf(parseSessionEvent(broken(created, { event_id: 'evt-1' })))).toEqual(['event_id']);
  });

  it('rejects an id longer than its limit', () => {
    expect(
      errorsOf(parseSessionEvent(broken(created, { 'data.user_id': 'u'.repeat(MAX_ID_LENGTH + 1) }))),
    ).toEqual([
      {
        path: 'data.user_id',
        message: `data.user_id must be shorter than or equal to ${MAX_ID_LENGTH} characters`,
      },
    ]);
  });

  it('rejects free text over its limit in bytes', () => {
    const oversized = broken(appended, {
      'data.items[0].content[0].text': 'é'.repeat(MAX_TEXT_BYTES / 2 + 1),
    });

    expect(errorsOf(parseSessionEvent(oversized))).toEqual([
      {
        path: 'data.items[0].content[0].text',
        message: `data.items[0].content[0].text must be at most ${MAX_TEXT_BYTES} bytes`,
      },
    ]);
  });

  it('accepts free text at its limit', () => {
    const atLimit = broken(appended, { 'data.items[0].content[0].text': 'x'.repeat(MAX_TEXT_BYTES) });

    expect(parseSessionEvent(atLimit).ok).toBe(true);
  });

  it('rejects a free-form object nested deeper than its limit', () => {
    const atLimit = broken(appended, { 'data.items[0].metadata': nested(MAX_FREEFORM_DEPTH) });
    const tooDeep = broken(appended, { 'data.items[0].metadata': nested(MAX_FREEFORM_DEPTH + 1) });

    expect(parseSessionEvent(atLimit).ok).toBe(true);
    expect(errorsOf(parseSessionEvent(tooDeep))).toEqual([
      {
        path: 'data.items[0].metadata',
        message: `data.items[0].metadata must hold only JSON values nested at most ${MAX_FREEFORM_DEPTH} levels deep`,
      },
    ]);
  });

  it('rejects a free-form object that holds something JSON cannot', () => {
    const event = sessionEvents()
      .created()
      .configUpdated({
        chat_model_config: { type: 't', credential_id: 'c', model: 'm', parameters: { top_p: NaN } },
      }).last;

    expect(pathsOf(parseSessionEvent(event))).toEqual(['data.config.chat_model_config.parameters']);
  });

  it('rejects unknown properties in the envelope and at any depth of data', () => {
    expect(
      errorsOf(parseSessionEvent(broken(appended, { trace: 'x', 'data.items[0].colour': 'red' }))),
    ).toEqual([
      { path: 'trace', message: 'property trace should not exist' },
      { path: 'data.items[0].colour', message: 'property data.items[0].colour should not exist' },
    ]);
  });

  it('rejects any data on session.deleted', () => {
    const deleted = sessionEvents().created().deleted().last;

    expect(pathsOf(parseSessionEvent(broken(deleted, { 'data.reason': 'cleanup' })))).toEqual([
      'data.reason',
    ]);
  });

  it('rejects a schedule id on a session a user started', () => {
    expect(errorsOf(parseSessionEvent(broken(created, { 'data.source_schedule_id': 'sch-1' })))).toEqual([
      {
        path: 'data.source_schedule_id',
        message: "data.source_schedule_id must be null unless source is 'schedule'",
      },
    ]);
  });

  it('lists every offending field, not only the first', () => {
    const taskUpdated = sessionEvents().created().taskUpdated({ id: 't-1' }).last;
    const event = broken(taskUpdated, {
      seq: 0,
      'data.task.state': 'done',
      'data.task.blocks': 'everything',
      'data.task.subject': undefined,
    });

    expect(pathsOf(parseSessionEvent(event))).toEqual([
      'seq',
      'data.task.subject',
      'data.task.state',
      'data.task.blocks',
    ]);
  });

  it('accepts null only where the contract allows it', () => {
    const nullTeam = sessionEvents().created().teamUpdated(null).last;
    const nullUsage = sessionEvents()
      .created()
      .contextUpdated({ id: 'm-1', usage: null, finished_at: null }).last;
    const nullModel = sessionEvents().created().configUpdated({ chat_model_config: null }).last;

    expect(parseSessionEvent(nullTeam).ok).toBe(true);
    expect(parseSessionEvent(nullUsage).ok).toBe(true);
    expect(parseSessionEvent(nullModel).ok).toBe(true);
    expect(pathsOf(parseSessionEvent(broken(nullModel, { 'data.config.name': null })))).toEqual([
      'data.config.name',
    ]);
  });

  it('rejects input that is not an object', () => {
    expect(errorsOf(parseSessionEvent([1, 2]))).toEqual([
      { path: '', message: 'an event must be a JSON object' },
    ]);
  });

  it('rejects a schema version newer than it knows', () => {
    expect(
      pathsOf(parseSessionEvent(broken(created, { schema_version: CURRENT_SCHEMA_VERSION + 1 }))),
    ).toEqual(['schema_version']);
  });
});

describe(parseSessionEventJson.name, () => {
  it('parses an event from bytes', () => {
    expect(parseSessionEventJson(Buffer.from(JSON.stringify(created)))).toEqual({ ok: true, event: created });
  });

  it('rejects invalid JSON on the empty path', () => {
    const errors = errorsOf(parseSessionEventJson('{"type": '));

    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('');
    expect(errors[0].message).toMatch(/^invalid JSON: /);
  });
});
