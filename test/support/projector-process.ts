import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { freePort } from './store-process';

const ROOT = resolve(__dirname, '..', '..');
const REGISTER_TYPESCRIPT = join(ROOT, 'test', 'support', 'register-typescript.js');
const PROJECTOR_MAIN = join(ROOT, 'apps', 'projector', 'src', 'main.ts');
/** Far above a healthy start (seconds); only there so a hung start fails instead of waiting forever. */
const START_GIVE_UP_MS = 120_000;

/** apps/projector as a child process, run from its TypeScript sources. */
export interface ProjectorProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  /** Sends `signal` and resolves with how the process ended. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the projector with `env` (the production profile) and resolves once /health/ready answers 200. */
export async function startProjectorProcess(env: Record<string, string>): Promise<ProjectorProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', REGISTER_TYPESCRIPT, PROJECTOR_MAIN], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const projector: ProjectorProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code, endedBy] = await exited;
      return { code, signal: endedBy };
    },
  };
  try {
    await untilReady(projector, exited);
  } catch (error) {
    await projector.stop('SIGKILL');
    throw error;
  }
  return projector;
}

async function untilReady(projector: ProjectorProcess, exited: Promise<unknown>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  const giveUpAt = Date.now() + START_GIVE_UP_MS;
  for (;;) {
    if (ended) throw new Error(`the projector exited before it was ready:\n${projector.output()}`);
    if (Date.now() > giveUpAt) throw new Error(`the projector never became ready:\n${projector.output()}`);
    try {
      if ((await fetch(`${projector.baseUrl}/health/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
