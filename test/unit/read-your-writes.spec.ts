import { loadConfig } from '@app/config';
import { AppliedPositions } from '@app/ports';
import { SqliteLogTailer } from '@app/projection';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreModule } from '../../apps/store/src/store.module';
import { describeReadYourWrites, FRESHNESS_WATCH_MS } from '../contracts/read-your-writes.behaviour';
import { startHttpTestApp } from '../support/http-test-app';

const INGEST_TOKEN = 'fresh-reads-ingest-token-0123456789';

describe('read your writes on the embedded profile (apps/store)', () => {
  let dataDir: string;
  let app: NestFastifyApplication;

  describeReadYourWrites(
    async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'read-your-writes-'));
      app = await startHttpTestApp([
        StoreModule.forRoot(
          loadConfig({ DATA_DIR: dataDir, INGEST_TOKEN, PROJECTION_WATCH_MS: String(FRESHNESS_WATCH_MS) }),
        ),
      ]);
      const { port } = app.getHttpServer().address() as { port: number };
      const tailer = app.get(SqliteLogTailer);
      return {
        app,
        baseUrl: `http://127.0.0.1:${port}`,
        ingestToken: INGEST_TOKEN,
        appliedPositions: app.get(AppliedPositions),
        stallProjector: () => tailer.stop(),
        resumeProjector: async () => tailer.start(),
        beyondLog: '0:999999999',
      };
    },
    async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  );
});
