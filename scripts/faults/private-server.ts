import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { sleep } from './tally';

/**
 * A server of the fault suite's own, on its own port and folder, so killing it disturbs nobody else's tests. Stopped
 * by its own PID only. Restarted with the same command line it keeps what it stored, as a crashed server would.
 */
export abstract class PrivateServer {
  private child: ChildProcess | undefined;

  protected constructor(
    protected readonly port: number,
    protected readonly home: string,
  ) {}

  /** What the server is called in errors. */
  protected abstract readonly name: string;
  /** The command line that starts it (the same every time). */
  protected abstract command(): [string, string[]];
  /** How long a start may take before it counts as failed. */
  protected abstract readonly startLimitMs: number;
  /** The signal `remove` ends it with. */
  protected abstract readonly removeSignal: NodeJS.Signals;

  async restart(): Promise<void> {
    const [binary, args] = this.command();
    this.child = spawn(binary, args, { stdio: 'ignore' });
    for (const giveUpAt = Date.now() + this.startLimitMs; Date.now() < giveUpAt;) {
      if (await listening(this.port)) return;
      await sleep(100);
    }
    throw new Error(`the fault suite's ${this.name} did not listen on ${this.port}`);
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
    await this.stop(this.removeSignal);
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
