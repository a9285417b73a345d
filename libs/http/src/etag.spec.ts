import Fastify, { FastifyInstance } from 'fastify';
import { addEntityTag, definedEntityTag } from './etag';

describe('entity tags', () => {
  let server: FastifyInstance;
  let body: string;
  let tag: string | undefined;

  beforeAll(async () => {
    server = Fastify();
    server.addHook('onSend', addEntityTag);
    server.get('/', async (_request, reply) => {
      if (tag !== undefined) void reply.header('ETag', tag);
      return body;
    });
    await server.ready();
  });

  afterAll(() => server.close());

  const get = (headers: Record<string, string> = {}) => server.inject({ method: 'GET', url: '/', headers });

  it('names a definition, not an order of bytes: equal parts, equal tags; another version, another tag', () => {
    const page = (version: number) =>
      definedEntityTag(['user', { agent_id: 'a' }, 'g1', 1, [['s1', version]]]);
    expect(page(3)).toBe(page(3));
    expect(page(3)).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(page(4)).not.toBe(page(3));
  });

  it('keeps the tag a handler set, hashing nothing, and answers 304 with it', async () => {
    body = '{"a":1}';
    tag = definedEntityTag(['defined']);
    const first = await get();
    expect(first.headers.etag).toBe(tag);
    expect((await get({ 'if-none-match': tag })).statusCode).toBe(304);
    // The body changing under the same definition keeps the definition's tag: the handler vouches for it.
    body = '{"a":2}';
    expect((await get()).headers.etag).toBe(tag);
  });

  it('hashes the body when the handler set no tag', async () => {
    tag = undefined;
    body = '{"a":1}';
    const first = (await get()).headers.etag;
    body = '{"a":2}';
    expect((await get()).headers.etag).not.toBe(first);
  });
});
