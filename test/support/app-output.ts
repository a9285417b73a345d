import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { childEnvironment } from './child-environment';

const ROOT = resolve(__dirname, '..', '..');
const REGISTER_TYPESCRIPT = join(ROOT, 'test', 'support', 'register-typescript.js');
/** Far above a healthy start or a bounded failure; only there so a hung process fails the test instead of hanging. */
const GIVE_UP_MS = 90_000;

export type AppName = 'store' | 'query-api' | 'projector';

/** An app started from its TypeScript sources with exactly `env` (plus PATH), its output split into lines. */
export interface AppRun {
  child: ChildProcess;
  lines(): string[];
  /** Resolves with the first line `matches` accepts; rejects when the process ends first or never writes one. */
  line(matches: (line: string) => boolean): Promise<string>;
  /** Resolves with the exit code once the process ended on its own. */
  exit(): Promise<number | null>;
  stop(): Promise<void>;
}

export function spawnApp(app: AppName, env: Record<string, string>): AppRun {
  const child = spawn(
    process.execPath,
    ['-r', REGISTER_TYPESCRIPT, join(ROOT, 'apps', app, 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: childEnvironment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const append = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const giveUp = setTimeout(() => child.kill('SIGKILL'), GIVE_UP_MS);
  void exited.then(() => clearTimeout(giveUp));
  const lines = () => output.split('\n').filter((line) => line !== '');
  return {
    child,
    lines,
    line: async (matches) => {
      let ended = false;
      void exited.then(() => (ended = true));
      for (;;) {
        const found = lines().find(matches);
        if (found !== undefined) return found;
        if (ended) throw new Error(`the app ended without the line expected:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    exit: () => exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
