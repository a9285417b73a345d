import { realisticProjection } from '../../../test/factories/session-events';
import { answerViewWrites } from './view-write-answers';

describe(answerViewWrites.name, () => {
  const update = (sessionId: string, expectedVersion: number | null) => ({
    projection: { ...realisticProjection(sessionId), version: (expectedVersion ?? 0) + 3 },
    expectedVersion,
  });

  it("counts a document carrying the call's token as written by it", () => {
    const writes = [update('inserted', null), update('replaced', 4)];
    const stored = [
      { _id: 'inserted', version: 3, write_token: 'mine' },
      { _id: 'replaced', version: 7, write_token: 'mine' },
    ];
    expect(answerViewWrites(writes, stored, 'mine')).toEqual({ written: 2, conflicts: [], unattempted: [] });
  });

  it('resends a write whose guard still matches, as a server that stopped early leaves it', () => {
    const [insert, replace] = [update('absent', null), update('unchanged', 4)];
    const stored = [{ _id: 'unchanged', version: 4, write_token: 'earlier' }];
    expect(answerViewWrites([insert, replace], stored, 'mine')).toEqual({
      written: 0,
      conflicts: [],
      unattempted: [insert, replace],
    });
  });

  it('reports a session another writer moved, even to the version this call meant to write', () => {
    const writes = [update('taken', null), update('moved', 4), update('same-version', 4)];
    const stored = [
      { _id: 'taken', version: 1, write_token: 'other' },
      { _id: 'moved', version: 9, write_token: 'other' },
      { _id: 'same-version', version: 7, write_token: 'other' },
    ];
    expect(answerViewWrites(writes, stored, 'mine')).toEqual({
      written: 0,
      conflicts: ['taken', 'moved', 'same-version'],
      unattempted: [],
    });
  });
});
