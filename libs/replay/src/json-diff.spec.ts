import { jsonDifferences } from './json-diff';

describe(jsonDifferences.name, () => {
  it('finds nothing between equal values regardless of key order', () => {
    expect(jsonDifferences({ a: 1, b: [{ c: null }] }, { b: [{ c: null }], a: 1 })).toEqual([]);
  });

  it('names each differing path with both values', () => {
    const expected = { view: { state: { cur_iter: 4, context: [{ id: 'x' }] } } };
    const actual = { view: { state: { cur_iter: 3, context: [{ id: 'y' }] } } };
    expect(jsonDifferences(expected, actual)).toEqual([
      'view.state.context[0].id: stored "y", expected "x"',
      'view.state.cur_iter: stored 3, expected 4',
    ]);
  });

  it('reports missing keys and array length changes', () => {
    expect(jsonDifferences({ a: 1, list: [1, 2] }, { list: [1] })).toEqual([
      'a: stored nothing, expected 1',
      'list: stored 1 items, expected 2',
    ]);
  });

  it('stops at the limit', () => {
    const expected = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(jsonDifferences(expected, {}, 5)).toHaveLength(5);
  });
});
