import { createServer, Server } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnApp } from '../support/app-output';
import { freePort } from '../support/store-process';

// Each case starts a process from the TypeScript sources (a few seconds on a loaded machine); the bound only stops a
// hung one.
jest.setTimeout(120_000);

/** Lines an operator ships: the apps started as processes, their output read as it is written. */
describe('app logs', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'app-logs-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes one JSON object per line, with the bound port and a line per request', async () => {
    const app = spawnApp('store', {
      DATA_DIR: dataDir,
      HTTP_PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    });
    try {
      const serving = JSON.parse(await app.line((line) => line.includes('serving on')));
      expect(serving).toEqual({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        level: 'info',
        context: 'Store',
        message: expect.stringMatching(/^serving on http:\/\/127\.0\.0\.1:\d+ with data in /),
      });
      const port = Number(/:(\d+) /.exec(serving.message)![1]);
      expect(port).toBeGreaterThan(0);

      const response = await fetch(`http://127.0.0.1:${port}/sessions/?agent_id=a`, {
        headers: { 'x-user-id': 'user-1', 'x-request-id': 'trace-42' },
      });
      expect(response.headers.get('x-request-id')).toBe('trace-42');
      const request = JSON.parse(await app.line((line) => line.includes('"context":"HTTP"')));
      expect(request).toEqual({
        time: expect.any(String),
        level: 'info',
        context: 'HTTP',
        message: expect.stringMatching(/^GET \/sessions 200 [\d.]+ ms$/),
        request_id: 'trace-42',
        method: 'GET',
        route: '/sessions',
        status: 200,
        duration_ms: expect.any(Number),
      });
      for (const line of app.lines()) expect(() => JSON.parse(line)).not.toThrow();
      expect(app.lines().join('\n')).not.toMatch(/InstanceLoader|RoutesResolver|RouterExplorer/);
    } finally {
      await app.stop();
    }
  });

  it('logs Nest wiring at debug, and the listen address even when only warnings are asked for', async () => {
    const debug = spawnApp('store', {
      DATA_DIR: dataDir,
      HTTP_PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
    });
    try {
      const mapped = JSON.parse(await debug.line((line) => line.includes('"context":"RouterExplorer"')));
      expect(mapped.level).toBe('debug');
    } finally {
      await debug.stop();
    }
    const quiet = spawnApp('store', { DATA_DIR: dataDir, HTTP_PORT: '0', LOG_LEVEL: 'warn' });
    try {
      await quiet.line((line) => line.includes('serving on http://127.0.0.1:'));
    } finally {
      await quiet.stop();
    }
  });

  it('writes text without colour codes when the output is not a terminal', async () => {
    const app = spawnApp('store', { DATA_DIR: dataDir, HTTP_PORT: '0' });
    try {
      const serving = await app.line((line) => line.includes('serving on'));
      expect(serving).toMatch(/ LOG \[Store\] serving on http:\/\/127\.0\.0\.1:\d+ /);
      expect(app.lines().join('\n')).not.toContain('\x1b[');
    } finally {
      await app.stop();
    }
  });

  describe('a start-up failure is one line naming the variable to change, then exit 1', () => {
    const failure = async (app: ReturnType<typeof spawnApp>) => {
      const code = await app.exit();
      return { code, lines: app.lines() };
    };

    it('names HTTP_PORT when the port is taken', async () => {
      const holder: Server = createServer().listen(0, '127.0.0.1');
      await once(holder, 'listening');
      const { port } = holder.address() as { port: number };
      try {
        const result = await failure(
          spawnApp('store', {
            DATA_DIR: dataDir,
            HTTP_PORT: String(port),
            LOG_FORMAT: 'json',
            LOG_LEVEL: 'warn',
          }),
        );
        expect(result.code).toBe(1);
        expect(result.lines).toHaveLength(1);
        expect(JSON.parse(result.lines[0])).toMatchObject({
          level: 'error',
          context: 'Store',
          message: `HTTP_PORT ${port} is already in use on 127.0.0.1: set HTTP_PORT to a free port, or stop the process holding it`,
        });
      } finally {
        holder.close();
      }
    });

    it('names DATA_DIR when the store cannot be created there', async () => {
      const file = join(dataDir, 'a-file');
      writeFileSync(file, '');
      const result = await failure(spawnApp('store', { DATA_DIR: join(file, 'data'), LOG_LEVEL: 'warn' }));
      expect(result.code).toBe(1);
      expect(result.lines).toEqual([
        expect.stringMatching(
          /ERROR \[Store\] DATA_DIR \S+a-file\/data cannot hold the store \(ENOTDIR.*\): set DATA_DIR to a folder this user can write$/,
        ),
      ]);
    });

    it('names every invalid variable', async () => {
      const result = await failure(
        spawnApp('store', { DATA_DIR: dataDir, LOG_LEVEL: 'loud', LOG_FORMAT: 'json' }),
      );
      expect(result.code).toBe(1);
      expect(result.lines).toHaveLength(1);
      expect(JSON.parse(result.lines[0]).message).toMatch(
        /^invalid environment: LOG_LEVEL must be one of: info, /,
      );
    });

    it('names MONGODB_URI, without its password, when no server answers within its selection timeout', async () => {
      const closed = await freePort();
      const result = await failure(
        spawnApp('query-api', {
          HTTP_PORT: '0',
          KAFKA_BROKERS: `127.0.0.1:${closed}`,
          MONGODB_URI: `mongodb://reader:s3cret@127.0.0.1:${closed}/?serverSelectionTimeoutMS=1000`,
        }),
      );
      expect(result.code).toBe(1);
      expect(result.lines).toEqual([
        expect.stringContaining(
          `ERROR [QueryApi] MONGODB_URI mongodb://reader:***@127.0.0.1:${closed}/?serverSelectionTimeoutMS=1000 failed (`,
        ),
      ]);
    });
  });
});
