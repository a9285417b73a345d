import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { freePort } from './store-process';

const ROOT = resolve(__dirname, '..', '..');
const REGISTER_TYPESCRIPT = join(ROOT, 'test', 'support', 'register-typescript.js');
/** The apps a test or a benchmark runs in a process of its own. */
export type AppName = 'projector' | 'query-api';
/** Far above a healthy start (seconds); only there so a hung start fails instead of waiting forever. */
const START_GIVE_UP_MS = 120_000;

/** An app as a child process, run from its TypeScript sources. */
export interface AppProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  /** Sends `signal` and resolves with how the process ended. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export type ProjectorProcess = AppProcess;

/** Starts apps/projector with `env` (the production profile) and resolves once /health/ready answers 200. */
export function startProjectorProcess(env: Record<string, string>): Promise<ProjectorProcess> {
  return startAppProcess('projector', env);
}

/**
 * Starts `apps/<app>` with `env` and resolves once its /health/ready answers 200: in a process of its own, so a test
 * can kill it and a benchmark's clients never share its event loop.
 */
export async function startAppProcess(app: AppName, env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const main = join(ROOT, 'apps', app, 'src', 'main.ts');
  const child = spawn(process.execPath, ['-r', REGISTER_TYPESCRIPT, main], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const running: AppProcess = {
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
    await untilReady(app, running, exited);
  } catch (error) {
    await running.stop('SIGKILL');
    throw error;
  }
  return running;
}

async function untilReady(app: AppName, running: AppProcess, exited: Promise<unknown>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  const giveUpAt = Date.now() + START_GIVE_UP_MS;
  for (;;) {
    if (ended) throw new Error(`${app} exited before it was ready:\n${running.output()}`);
    if (Date.now() > giveUpAt) throw new Error(`${app} never became ready:\n${running.output()}`);
    try {
      if ((await fetch(`${running.baseUrl}/health/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
