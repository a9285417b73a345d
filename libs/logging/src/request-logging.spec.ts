import { ConsoleLogger, Logger } from '@nestjs/common';
import Fastify, { FastifyInstance } from 'fastify';
import { AppLogger } from './app-logger';
import { logRequests } from './request-logging';

describe(logRequests.name, () => {
  let fastify: FastifyInstance;
  let written: string[];

  beforeAll(async () => {
    Logger.overrideLogger(new AppLogger({ logLevel: 'log', logFormat: 'json' }, false));
    fastify = Fastify();
    logRequests(fastify);
    fastify.get('/things/:id', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      new Logger('Things').warn('looked up');
      return {};
    });
    fastify.get('/health', async () => ({ status: 'ok' }));
    await fastify.ready();
  });
  afterAll(async () => {
    await fastify.close();
    Logger.overrideLogger(new ConsoleLogger());
  });

  beforeEach(() => {
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
  });
  afterEach(() => jest.restoreAllMocks());
  const logged = () => written.map((line) => JSON.parse(line));

  it('tags every line of a request with its id, and ends with method, route template, status and duration', async () => {
    const response = await fastify.inject({ url: '/things/42', headers: { 'x-request-id': 'trace-1' } });
    expect(response.headers['x-request-id']).toBe('trace-1');
    expect(logged()).toEqual([
      expect.objectContaining({ context: 'Things', message: 'looked up', request_id: 'trace-1' }),
      expect.objectContaining({
        level: 'info',
        context: 'HTTP',
        request_id: 'trace-1',
        method: 'GET',
        route: '/things/:id',
        status: 200,
        duration_ms: expect.any(Number),
      }),
    ]);
  });

  it('gives a request without a usable id a fresh one', async () => {
    const missing = await fastify.inject({ url: '/nowhere' });
    const forged = await fastify.inject({ url: '/nowhere', headers: { 'x-request-id': 'a"b' } });
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged()).toEqual([
      expect.objectContaining({
        route: 'unmatched',
        status: 404,
        request_id: missing.headers['x-request-id'],
      }),
      expect.objectContaining({
        route: 'unmatched',
        status: 404,
        request_id: forged.headers['x-request-id'],
      }),
    ]);
  });

  it('logs health probes at debug only', async () => {
    await fastify.inject({ url: '/health' });
    expect(written).toEqual([]);
  });
});
