import { ConfigModule, loadConfig } from '@app/config';
import { SqliteModule } from '@app/sqlite';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpTestApp } from '../../../test/support/http-test-app';
import { openSse } from '../../../test/support/sse-client';
import { WatchSessionChangesHandler } from './queries/watch-session-changes.query';
import { ReadApiModule } from './read-api.module';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

function hs256(payload: object): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

describe(`${WatchSessionChangesHandler.name} with AUTH_MODE=jwt`, () => {
  let dataDir: string;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stream-expiry-'));
    const config = loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'jwt', JWT_SECRET: SECRET });
    app = await startHttpTestApp([ConfigModule.forRoot(config), SqliteModule.forRoot(), ReadApiModule], {
      heartbeatMs: 50,
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends a stream when the token it was opened with expires', async () => {
    const { port } = app.getHttpServer().address() as { port: number };
    const exp = Math.floor(Date.now() / 1000) + 1;
    const response = await openSse(`http://127.0.0.1:${port}/sessions/changes?agent_id=agent-1`, {
      authorization: `Bearer ${hs256({ sub: 'user-1', exp })}`,
    });
    if (response.kind !== 'stream') throw new Error(`expected a stream, got ${response.status}`);
    await response.stream.next((message) => message.comment === 'subscribed');
    // Heartbeats flow while the token is valid; the server then ends the stream itself, at or after exp.
    await expect(response.stream.next(() => false)).rejects.toThrow('the stream ended');
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
  });
});
