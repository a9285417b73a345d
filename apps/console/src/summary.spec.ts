import { summarizeEvent } from './summary';

describe(summarizeEvent.name, () => {
  it('names what a created session is', () => {
    expect(
      summarizeEvent('session.created', {
        user_id: 'u',
        agent_id: 'a',
        config: { name: 'Fix it' },
        source: 'schedule',
        source_schedule_id: 'nightly',
        team_id: null,
      }),
    ).toBe('“Fix it” · user u · agent a · source schedule · schedule nightly');
  });

  it('quotes the first message appended, cut to one line', () => {
    const text = `${'word '.repeat(30)}\nmore`;
    const line = summarizeEvent('session.context_appended', {
      items: [
        { name: 'user', content: [{ type: 'text', text, id: 't' }] },
        { name: 'assistant', content: [] },
      ],
    });
    expect(line).toMatch(/^2 messages · user: “word word .*…” …$/);
    expect(line).not.toContain('\n');
  });

  it('says where a task went and why a run stopped', () => {
    expect(
      summarizeEvent('session.task_updated', { task: { subject: 'Reproduce', state: 'completed' } }),
    ).toBe('task “Reproduce” → completed');
    expect(summarizeEvent('session.run_stopped', { reason: 'awaiting_permission' })).toBe(
      'reason awaiting_permission',
    );
  });

  it('lists the keys of a type it does not know', () => {
    expect(summarizeEvent('session.renamed', { name: 'x', by: 'y' })).toBe('name, by');
  });
});
