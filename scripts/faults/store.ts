import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../test/support/store-process';
import { PrivateServer } from './private-server';

const FERRETDB_BINARY = resolve(
  process.env.INFRA_HOME ?? resolve(__dirname, '../../.cache/infra'),
  'ferretdb/bin/ferretdb',
);

/** A FerretDB of the fault suite's own (the one scripts/infra builds), with a data folder of its own. */
export class PrivateFerretDb extends PrivateServer {
  protected readonly name = 'FerretDB';
  protected readonly startLimitMs = 60_000;
  protected readonly removeSignal = 'SIGTERM';

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

  protected command(): [string, string[]] {
    return [
      FERRETDB_BINARY,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${join(this.home, 'data')}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        `--state-dir=${join(this.home, 'state')}`,
        '--telemetry=disable',
        '--debug-addr=-',
      ],
    ];
  }
}
