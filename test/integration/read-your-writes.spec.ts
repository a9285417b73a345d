import { AppliedPositions } from '@app/ports';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { describeReadYourWrites, FRESHNESS_WATCH_MS } from '../contracts/read-your-writes.behaviour';
import { mongoTargets } from '../support/infra';
import { startProjector } from '../support/projector';
import { RunningQueryApi, startQueryApi } from '../support/query-api';

const INGEST_TOKEN = 'fresh-reads-ingest-token-0123456789';

describe.each(mongoTargets())('read your writes on the production profile on $name', (target) => {
  let api: RunningQueryApi;
  let projector: NestFastifyApplication | null = null;

  describeReadYourWrites(
    async () => {
      api = await startQueryApi(target, {
        INGEST_TOKEN,
        PROJECTION_WATCH_MS: String(FRESHNESS_WATCH_MS),
      });
      projector = await startProjector(api.config);
      return {
        app: api.app,
        baseUrl: api.baseUrl,
        ingestToken: INGEST_TOKEN,
        appliedPositions: api.app.get(AppliedPositions),
        stallProjector: async () => {
          await projector?.close();
          projector = null;
        },
        resumeProjector: async () => {
          projector ??= await startProjector(api.config);
        },
        beyondLog: `0:${Number.MAX_SAFE_INTEGER}`,
      };
    },
    async () => {
      await projector?.close();
      await api.stop();
    },
  );
});
