import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export type LocalServer = 'kafka' | 'mongo-java-server' | 'ferretdb';

const REPO_ROOT = resolve(__dirname, '../..');
const INFRA_HOME = resolve(process.env.INFRA_HOME ?? join(REPO_ROOT, '.cache/infra'));

function runInfraScript(script: 'up.sh' | 'down.sh', args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [join(REPO_ROOT, 'scripts/infra', script), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, INFRA_HOME },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code, signal) =>
      code === 0
        ? done()
        : fail(new Error(`scripts/infra/${script} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/**
 * Starts the servers (or adopts running ones) under a lease held by this test run, named by its process
 * id: the last test run to release its lease stops the servers that test runs started.
 */
export async function acquireLocalServers(servers: LocalServer[], leaseHolder: number): Promise<void> {
  try {
    await runInfraScript('up.sh', ['--lease', String(leaseHolder), ...servers]);
  } catch (error) {
    await releaseLocalServers(leaseHolder);
    throw error;
  }
}

export function releaseLocalServers(leaseHolder: number): Promise<void> {
  return runInfraScript('down.sh', ['--release', String(leaseHolder)]);
}

/** The address the running server recorded when it started (host:port for Kafka, a URI for MongoDB). */
export async function localEndpoint(server: LocalServer): Promise<string> {
  return (await readFile(join(INFRA_HOME, 'run', `${server}.endpoint`), 'utf8')).trim();
}
