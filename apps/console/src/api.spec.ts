import { nextCursor, readableDetail } from './api';

describe(nextCursor.name, () => {
  it('reads the cursor of the rel="next" link', () => {
    expect(nextCursor('</sessions/?agent_id=a&limit=2&cursor=eyJ1Ijo%3D>; rel="next"')).toBe('eyJ1Ijo=');
  });

  it('is null without a next link', () => {
    expect(nextCursor(null)).toBeNull();
    expect(nextCursor('</sessions/?agent_id=a>; rel="prev"')).toBeNull();
  });
});

describe(readableDetail.name, () => {
  it("keeps a message and lists FastAPI's 422 problems one by one", () => {
    expect(readableDetail('Session not found')).toBe('Session not found');
    expect(
      readableDetail([
        { type: 'missing', loc: ['query', 'agent_id'], msg: 'Field required' },
        { type: 'enum', loc: ['query', 'status'], msg: 'Input should be running or idle' },
      ]),
    ).toBe('query.agent_id: Field required; query.status: Input should be running or idle');
  });
});
