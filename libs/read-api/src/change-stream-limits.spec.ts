import { ConfigModule, loadConfig } from '@app/config';
import { SqliteModule } from '@app/sqlite';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpTestApp } from '../../../test/support/http-test-app';
import { openSse, SseResponse, SseStream } from '../../../test/support/sse-client';
import { ReadApiModule } from './read-api.module';
import { WatchSessionChangesHandler } from './queries/watch-session-changes.query';

describe(`${WatchSessionChangesHandler.name} limits`, () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let baseUrl: string;
  const open: SseStream[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stream-limits-'));
    const config = loadConfig({
      DATA_DIR: dataDir,
      MAX_CHANGE_STREAMS: '3',
      MAX_CHANGE_STREAMS_PER_CALLER: '2',
    });
    app = await startHttpTestApp([ConfigModule.forRoot(config), SqliteModule.forRoot(), ReadApiModule]);
    const { port } = app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    open.forEach((stream) => stream.close());
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const watch = async (userId: string): Promise<SseResponse> => {
    const response = await openSse(`${baseUrl}/sessions/changes?agent_id=agent-1`, { 'x-user-id': userId });
    if (response.kind === 'stream') {
      open.push(response.stream);
      await response.stream.next((message) => message.comment === 'subscribed');
    }
    return response;
  };

  const closeAndWaitForRelease = async (stream: SseStream, userId: string) => {
    stream.close();
    // The server counts a stream out once it sees the socket close; a new stream is admitted from then on.
    for (;;) {
      const again = await watch(userId);
      if (again.kind === 'stream') return again;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('refuses a caller more streams than MAX_CHANGE_STREAMS_PER_CALLER with 429 saying so, and admits one again once one closes', async () => {
    const first = await watch('user-a');
    expect((await watch('user-a')).kind).toBe('stream');
    const refused = await watch('user-a');
    expect(refused).toMatchObject({ kind: 'refused', status: 429 });
    expect((refused as { body: { detail: string } }).body.detail).toMatch(/MAX_CHANGE_STREAMS_PER_CALLER/);
    if (first.kind !== 'stream') throw new Error('expected a stream');
    expect((await closeAndWaitForRelease(first.stream, 'user-a')).kind).toBe('stream');
  });

  it('refuses everyone once MAX_CHANGE_STREAMS are open in all', async () => {
    // user-a holds 2 from the test above; one more fills the server.
    expect((await watch('user-b')).kind).toBe('stream');
    const refused = await watch('user-c');
    expect(refused).toMatchObject({ kind: 'refused', status: 429 });
    expect((refused as { body: { detail: string } }).body.detail).toMatch(/MAX_CHANGE_STREAMS\)/);
  });
});
