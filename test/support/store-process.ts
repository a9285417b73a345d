import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const REGISTER_TYPESCRIPT = join(ROOT, 'test', 'support', 'register-typescript.js');
const STORE_MAIN = join(ROOT, 'apps', 'store', 'src', 'main.ts');
/** Far above a healthy start (a few seconds); only there so a hung start fails instead of waiting forever. */
const START_GIVE_UP_MS = 60_000;

/** The embedded app (`apps/store`) running as a child process from its TypeScript sources. */
export interface StoreProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  /** Sends `signal` and waits for the process to end. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

export interface StoreProcessOptions {
  dataDir: string;
  env?: Record<string, string>;
  args?: string[];
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts the app on a free port over `dataDir` and resolves once it answers /health. */
export async function startStoreProcess(options: StoreProcessOptions): Promise<StoreProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: options.dataDir,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  // The embedded profile is what these tests are about, whatever the caller's shell selects.
  delete env.KAFKA_BROKERS;
  delete env.MONGODB_URI;
  const child = spawn(process.execPath, ['-r', REGISTER_TYPESCRIPT, STORE_MAIN, ...(options.args ?? [])], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  const baseUrl = `http://127.0.0.1:${port}`;
  const store: StoreProcess = {
    baseUrl,
    child,
    output: () => output,
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await untilHealthy(store, exited);
  } catch (error) {
    await store.stop('SIGKILL');
    throw error;
  }
  return store;
}

async function untilHealthy(store: StoreProcess, exited: Promise<unknown>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  const giveUpAt = Date.now() + START_GIVE_UP_MS;
  for (;;) {
    if (ended) throw new Error(`the store exited before serving:\n${store.output()}`);
    if (Date.now() > giveUpAt) throw new Error(`the store did not serve /health:\n${store.output()}`);
    try {
      if ((await fetch(`${store.baseUrl}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
