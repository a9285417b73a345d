import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { freePort } from './store-process';

const TWIN_DIR = resolve(__dirname, '..', '..', 'scripts', 'origin-twin');
const VENV_SCRIPT = resolve(__dirname, '..', '..', 'scripts', 'lib', 'python-venv.sh');
/** Installing FastAPI from PyPI on a fresh machine takes about 15 s; this only stops a hung install. */
const INSTALL_GIVE_UP_MS = 300_000;
const START_GIVE_UP_MS = 30_000;

/** The origin service's list endpoint in FastAPI (scripts/origin-twin), answering from the store at `storeUrl`. */
export interface OriginTwin {
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startOriginTwin(storeUrl: string): Promise<OriginTwin> {
  const bin = execFileSync('bash', [VENV_SCRIPT, 'origin-twin', join(TWIN_DIR, 'requirements.txt')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: INSTALL_GIVE_UP_MS,
  }).trim();
  const python = join(bin, 'python');
  const port = await freePort();
  const child = spawn(
    python,
    [
      '-m',
      'uvicorn',
      'origin_app:app',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'warning',
    ],
    { cwd: TWIN_DIR, env: { ...process.env, STORE_URL: storeUrl }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child);
  try {
    await untilServing(baseUrl, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function untilServing(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const giveUpAt = Date.now() + START_GIVE_UP_MS;
  while (Date.now() < giveUpAt) {
    if (child.exitCode !== null) throw new Error(`the origin twin exited:\n${output()}`);
    try {
      await fetch(`${baseUrl}/openapi.json`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the origin twin did not start:\n${output()}`);
}
