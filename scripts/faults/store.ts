import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../test/support/store-process';
import { sleep } from './tally';

const FERRETDB_BINARY = resolve(
  process.env.INFRA_HOME ?? resolve(__dirname, '../../.cache/infra'),
  'ferretdb/bin/ferretdb',
);

/**
 * A FerretDB of the fault suite's own (the one scripts/infra builds), on its own port and data folder, so killing it
 * disturbs nobody else's tests. Restarted with the same command line it keeps its data, as a crashed server would.
 */
export class PrivateFerretDb {
  private child: ChildProcess | undefined;
  private constructor(
    private readonly port: number,
    private readonly home: string,
  ) {}

  static async start(): Promise<PrivateFerretDb> {
    const server = new PrivateFerretDb(await freePort(), mkdtempSync(join(tmpdir(), 'faults-ferretdb-')));
    mkdirSync(join(server.home, 'data'));
    mkdirSync(join(server.home, 'state'));
    await server.restart();
    return server;
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.child = spawn(
      FERRETDB_BINARY,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${join(this.home, 'data')}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        `--state-dir=${join(this.home, 'state')}`,
        '--telemetry=disable',
        '--debug-addr=-',
      ],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 600; attempt += 1) {
      if (await listening(this.port)) return;
      await sleep(100);
    }
    throw new Error(`the fault suite's FerretDB did not listen on ${this.port}`);
  }

  /** Sends `signal` to this server's own PID and waits for it to end. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  async remove(): Promise<void> {
    await this.stop('SIGTERM');
    rmSync(this.home, { recursive: true, force: true });
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
