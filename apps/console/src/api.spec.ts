import { ApiError, nextCursor, OperatorClient, projectionLag, readableDetail } from './api';
import { describeLag } from './format';

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

describe(OperatorClient.name, () => {
  const calls: { url: string; init: RequestInit }[] = [];
  const answering =
    (status: number, body: unknown): typeof fetch =>
    async (url, init) => {
      calls.push({ url: String(url), init: init! });
      return new Response(JSON.stringify(body), { status });
    };
  beforeEach(() => (calls.length = 0));

  it('sends the operator token, and only it, and re-drives with a POST', async () => {
    const result = { id: '7', outcome: 'projected', reasons: [] };
    const client = new OperatorClient('operator-token-0123456789', answering(200, result));
    expect(await client.redrive('7')).toEqual(result);
    expect(calls).toEqual([
      {
        url: '/operations/dead-letters/7/redrive',
        init: expect.objectContaining({
          method: 'POST',
          headers: { authorization: 'Bearer operator-token-0123456789' },
        }),
      },
    ]);
  });

  it("throws the API's refusal with its detail", async () => {
    const client = new OperatorClient('wrong', answering(401, { detail: 'Invalid operator token' }));
    await expect(client.deadLetters()).rejects.toEqual(new ApiError(401, 'Invalid operator token'));
  });
});

describe(projectionLag.name, () => {
  it('reads the freshness headers of an answer, and says them in words', () => {
    const lag = projectionLag(
      new Headers({
        'projection-position': '0:12',
        'projection-lag-events': '3',
        'projection-lag-ms': '1500',
      }),
    );
    expect(lag).toEqual({ events: 3, ms: 1500 });
    expect(describeLag(lag!)).toBe('read model 3 events behind (the oldest waiting 1.5 s)');
    expect(describeLag({ events: 0, ms: 0 })).toBe('read model current');
  });

  it('is null when the API did not say', () => {
    expect(projectionLag(new Headers())).toBeNull();
  });
});
