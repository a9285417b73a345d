import { loadConfig } from '@app/config';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreModule } from '../../apps/store/src/store.module';
import { describeOriginListContract } from '../contract-origin/origin-list.contract';
import { startHttpTestApp } from '../support/http-test-app';

const INGEST_TOKEN = 'origin-contract-ingest-token-0123456789';

describe('the origin list contract on the embedded profile (apps/store)', () => {
  let dataDir: string;
  let app: NestFastifyApplication;

  describeOriginListContract(
    async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'origin-contract-'));
      app = await startHttpTestApp([StoreModule.forRoot(loadConfig({ DATA_DIR: dataDir, INGEST_TOKEN }))]);
      const { port } = app.getHttpServer().address() as { port: number };
      return { app, port, ingestToken: INGEST_TOKEN };
    },
    async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  );
});
