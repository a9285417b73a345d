import { InvalidEnvironmentError, loadConfig } from '@app/config';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpTestApp } from '../../../test/support/http-test-app';
import { openSse } from '../../../test/support/sse-client';
import { QueryApiModule } from './query-api.module';

const INGEST_TOKEN = 'ingest-token-for-tests-0123456789';

describe(QueryApiModule.name, () => {
  let dataDir: string;
  let app: NestFastifyApplication;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'query-api-'));
    app = await startHttpTestApp([QueryApiModule.forRoot(loadConfig({ DATA_DIR: dataDir }))]);
  });

  afterEach(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  it('serves the list, health, readiness of the views and metrics', async () => {
    const list = await get('/sessions/?agent_id=agent-1', { 'x-user-id': 'user-1' });
    expect(list.json()).toEqual({ sessions: [], total: 0 });
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    expect((await get('/health/ready')).json()).toEqual({
      status: 'ready',
      checks: expect.objectContaining({ 'session-views': 'ok' }),
    });
    expect((await get('/metrics')).body).toContain(
      'http_requests_total{method="GET",route="/sessions",status_code="200"} 1',
    );
    expect((await get('/openapi.json')).json().paths).toHaveProperty(['/sessions/{session_id}']);
  });

  it('ends open change streams when it shuts down instead of waiting for their clients', async () => {
    const { port } = app.getHttpServer().address() as { port: number };
    const response = await openSse(`http://127.0.0.1:${port}/sessions/changes?agent_id=agent-1`, {
      'x-user-id': 'user-1',
    });
    if (response.kind !== 'stream') throw new Error(`expected a stream, got ${response.status}`);
    await response.stream.next((message) => message.comment === 'subscribed');
    await app.close();
    await expect(response.stream.next()).rejects.toThrow('the stream ended');
    app = await startHttpTestApp([QueryApiModule.forRoot(loadConfig({ DATA_DIR: dataDir }))]);
  });

  it('refuses to start on the embedded profile with INGEST_TOKEN set, naming the variable, as nothing would project what it took', () => {
    expect(() => QueryApiModule.forRoot(loadConfig({ DATA_DIR: dataDir, INGEST_TOKEN }))).toThrow(
      InvalidEnvironmentError,
    );
    expect(() => QueryApiModule.forRoot(loadConfig({ DATA_DIR: dataDir, INGEST_TOKEN }))).toThrow(
      /^Invalid environment variables:\n {2}- INGEST_TOKEN is set, but apps\/query-api on the embedded profile runs no projector/,
    );
  });

  it('has no ingest route without INGEST_TOKEN: the path is only GET /sessions/{session_id}, so POST is a 405', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/sessions/events',
      headers: { authorization: `Bearer ${INGEST_TOKEN}` },
      payload: { events: [] },
    });
    expect([response.statusCode, response.headers.allow]).toEqual([405, 'GET']);
  });
});
