import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/support/store-process';

const ROOT = resolve(__dirname, '..', '..');
const REGISTER_TYPESCRIPT = join(ROOT, 'test', 'support', 'register-typescript.js');
const QUERY_API_MAIN = join(ROOT, 'apps', 'query-api', 'src', 'main.ts');
/** Far above a healthy start (seconds on 2 cores); only there so a hung start fails instead of waiting forever. */
const START_GIVE_UP_MS = 120_000;

export interface QueryApiProcess {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** Sends SIGTERM and waits for the process to end. */
  stop(): Promise<void>;
}

/**
 * apps/query-api in a process of its own, from its TypeScript sources, with `env` (the production profile): the
 * benchmark's clients must not share an event loop with the server they time.
 */
export async function startQueryApiProcess(env: Record<string, string>): Promise<QueryApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', REGISTER_TYPESCRIPT, QUERY_API_MAIN], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let ended = false;
  const exited = once(child, 'exit').then(() => (ended = true));
  const running: QueryApiProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (!ended) child.kill('SIGTERM');
      await exited;
    },
  };
  const giveUpAt = Date.now() + START_GIVE_UP_MS;
  for (;;) {
    if (ended) throw new Error(`the query API exited before serving:\n${output}`);
    if (Date.now() > giveUpAt) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the query API did not serve /health:\n${output}`);
    }
    try {
      if ((await fetch(`${running.baseUrl}/health`)).ok) return running;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
}
