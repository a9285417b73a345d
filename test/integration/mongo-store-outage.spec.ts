import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { eventually, uniqueSessionId } from '../contracts/contract-support';
import { realisticProjection } from '../factories/session-events';
import { RunningQueryApi, startQueryApi } from '../support/query-api';
import { insertViews } from '../support/read-side';
import { freePort } from '../support/store-process';

const REPO_ROOT = resolve(__dirname, '../..');
const MONGO_JAVA_HOME = join(
  resolve(process.env.INFRA_HOME ?? join(REPO_ROOT, '.cache/infra')),
  'mongo-java-server',
);
/** Only there so that a hung read fails the test instead of the suite: the driver alone would wait 30 s. */
const GIVE_UP_ON_A_READ_MS = 15_000;

/**
 * A mongo-java-server of this suite's own, keeping its data in an H2 file so that it comes back with it; stopped
 * by the PID this suite started, never the shared test server.
 */
class OwnMongoJavaServer {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly dataFile: string,
  ) {}

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!existsSync(join(MONGO_JAVA_HOME, 'classes'))) {
      throw new Error(`${MONGO_JAVA_HOME} holds no mongo-java-server: run npm run infra:up first`);
    }
    this.child = spawn(
      'java',
      [
        '-Xmx256m',
        '-cp',
        `${join(MONGO_JAVA_HOME, 'classes')}:${join(MONGO_JAVA_HOME, 'libs', '*')}`,
        'infra.MongoJavaServerLauncher',
        '127.0.0.1',
        String(this.port),
        this.dataFile,
      ],
      { stdio: 'ignore' },
    );
    await eventually(async () => {
      const client = new MongoClient(this.uri, { serverSelectionTimeoutMS: 500 });
      try {
        await client.db('admin').command({ ping: 1 });
      } finally {
        await client.close();
      }
    }, 60_000);
  }

  /** TERM, which flushes the H2 file, and waits for the process to end. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid!, 'SIGTERM');
    await exited;
  }
}

describe('reads during a MongoDB outage', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mongo-outage-'));
  let server: OwnMongoJavaServer;
  let api: RunningQueryApi;

  beforeAll(async () => {
    server = new OwnMongoJavaServer(await freePort(), join(dataDir, 'store.h2'));
    await server.start();
    api = await startQueryApi({ name: 'mongo-java-server', uri: server.uri });
  });

  afterAll(async () => {
    try {
      await api?.stop();
    } finally {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const read = async (url: string) => {
    const response = await fetch(`${api.baseUrl}${url}`, {
      headers: { 'x-user-id': 'user-1' },
      signal: AbortSignal.timeout(GIVE_UP_ON_A_READ_MS),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('answers 503 with a detail while the store is down, and serves again by itself once it is back', async () => {
    const projection = realisticProjection(uniqueSessionId(), 'user-1', 'agent-1');
    await insertViews(api.app, projection);
    const sessionUrl = `/sessions/${projection.session_id}`;
    const listUrl = '/sessions/?agent_id=agent-1';
    expect(await read(sessionUrl)).toEqual({ status: 200, body: projection.view });

    await server.stop();
    const unavailable = {
      status: 503,
      body: { detail: 'the session store cannot be reached; try again shortly' },
    };
    // The first read may meet the closed connection, the next ones find no server: both are "unavailable".
    expect(await read(sessionUrl)).toEqual(unavailable);
    expect(await read(listUrl)).toEqual(unavailable);
    expect(await read(sessionUrl)).toEqual(unavailable);

    await server.start();
    await eventually(async () =>
      expect(await read(sessionUrl)).toEqual({ status: 200, body: projection.view }),
    );
    expect((await read(listUrl)).status).toBe(200);
  });
});
