import { loadConfig } from '@app/config';
import { HttpAppOptions } from '@app/http';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreModule } from '../../apps/store/src/store.module';
import { sendRaw } from '../contract-origin/raw-http';
import { startHttpTestApp } from '../support/http-test-app';

const INGEST_TOKEN = 'protection-ingest-token-0123456789';

describe('HTTP protections of the embedded store', () => {
  let dataDir: string;
  const apps: NestFastifyApplication[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'http-protection-'));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function store(http: Omit<HttpAppOptions, 'openApi'> = {}) {
    const app = await startHttpTestApp(
      [StoreModule.forRoot(loadConfig({ DATA_DIR: join(dataDir, String(apps.length)), INGEST_TOKEN }))],
      { http },
    );
    apps.push(app);
    const { port } = app.getHttpServer().address() as { port: number };
    return { app, port };
  }

  it('refuses an ingest without the token before reading its body', async () => {
    const { port } = await store();
    // The body is announced and never sent: only a server that answers before reading it can answer at all.
    const answer = await sendRaw(
      port,
      'POST /sessions/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16000000\r\nConnection: close\r\n\r\n',
    );
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({
      detail: 'Not authenticated: send the ingest token as Authorization: Bearer <INGEST_TOKEN>',
    });
    const wrong = await sendRaw(
      port,
      'POST /sessions/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\nContent-Type: application/json\r\nContent-Length: 16000000\r\nConnection: close\r\n\r\n',
    );
    expect([wrong.status, JSON.parse(wrong.body)]).toEqual([401, { detail: 'Invalid ingest token' }]);
  });

  it('answers a body sent too slowly with 408 and closes the connection', async () => {
    const { port } = await store({ timeouts: { headersMs: 200, requestMs: 400 } });
    const answer = await sendRaw(
      port,
      `POST /sessions/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${INGEST_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"events": [`,
    );
    expect([answer.status, JSON.parse(answer.body)]).toEqual([408, { detail: 'Request Timeout' }]);
  });

  it('answers headers sent too slowly with 408 and closes the connection', async () => {
    const { port } = await store({ timeouts: { headersMs: 200, requestMs: 400 } });
    const answer = await sendRaw(port, 'GET /sessions/?agent_id=a HTTP/1.1\r\nHost: x\r\n');
    expect([answer.status, JSON.parse(answer.body)]).toEqual([408, { detail: 'Request Timeout' }]);
  });

  it('sends the usual security headers, with a CSP that allows no inline script and keeps /docs working', async () => {
    const { app } = await store();
    const docs = await app.inject({ method: 'GET', url: '/docs' });
    expect(docs.statusCode).toBe(200);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Swagger UI starts from script files of this origin, never from an inline script the CSP would block.
    expect(docs.body).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
    expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN');
    const list = await app.inject({
      method: 'GET',
      url: '/sessions/?agent_id=a',
      headers: { 'x-user-id': 'u' },
    });
    expect(list.headers['content-security-policy']).toBe(csp);
  });

  it('limits each caller to RATE_LIMIT_PER_MINUTE requests when it is set, with 429 in the detail shape', async () => {
    const { app } = await store({ rateLimitPerMinute: 3 });
    const get = (userId: string) =>
      app.inject({ method: 'GET', url: '/sessions/?agent_id=a', headers: { 'x-user-id': userId } });
    for (let request = 0; request < 3; request += 1) expect((await get('busy')).statusCode).toBe(200);
    const limited = await get('busy');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().detail).toMatch(/^Rate limit exceeded: 3 requests a minute/);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await get('quiet')).statusCode).toBe(200);
  });
});
