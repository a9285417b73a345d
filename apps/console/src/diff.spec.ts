import { structuralDiff } from './diff';

describe(structuralDiff.name, () => {
  it('finds nothing between equal documents', () => {
    const view = { a: 1, b: { c: [1, 2], d: null }, e: [{ id: 'x', v: 1 }] };
    expect(structuralDiff(view, structuredClone(view))).toEqual([]);
  });

  it('names each changed, added and removed leaf by its path', () => {
    expect(
      structuralDiff(
        { status: 'idle', session: { config: { name: 'a', old: true } } },
        { status: 'running', session: { config: { name: 'a', model: 'm' } } },
      ),
    ).toEqual([
      { path: 'status', kind: 'changed', before: 'idle', after: 'running' },
      { path: 'session.config.old', kind: 'removed', before: true },
      { path: 'session.config.model', kind: 'added', after: 'm' },
    ]);
  });

  it('matches items that carry an id by id, so an insertion is one addition', () => {
    const before = { context: [{ id: 'm1', text: 'hi' }] };
    const after = {
      context: [
        { id: 'm0', text: 'first' },
        { id: 'm1', text: 'hi!' },
      ],
    };
    expect(structuralDiff(before, after)).toEqual([
      { path: 'context[id=m1].text', kind: 'changed', before: 'hi', after: 'hi!' },
      { path: 'context[id=m0]', kind: 'added', after: { id: 'm0', text: 'first' } },
    ]);
  });

  it('matches by id from an empty list too', () => {
    expect(structuralDiff({ tasks: [] }, { tasks: [{ id: 't1', state: 'pending' }] })).toEqual([
      { path: 'tasks[id=t1]', kind: 'added', after: { id: 't1', state: 'pending' } },
    ]);
  });

  it('compares other arrays by index, and a change of kind as a whole', () => {
    expect(structuralDiff({ a: [1, 2], b: { x: 1 } }, { a: [1], b: 'flat' })).toEqual([
      { path: 'a[1]', kind: 'removed', before: 2 },
      { path: 'b', kind: 'changed', before: { x: 1 }, after: 'flat' },
    ]);
  });

  it('shows a whole document as added when there was nothing before', () => {
    expect(structuralDiff(undefined, { a: 1 })).toEqual([{ path: '(root)', kind: 'added', after: { a: 1 } }]);
  });
});
