import { describeOriginListContract } from '../contract-origin/origin-list.contract';
import { mongoTargets } from '../support/infra';
import { RunningQueryApi, startQueryApi } from '../support/query-api';

const INGEST_TOKEN = 'origin-contract-ingest-token-0123456789';

describe.each(mongoTargets())('the origin list contract on the production profile on $name', (target) => {
  let api: RunningQueryApi;

  describeOriginListContract(
    async () => {
      api = await startQueryApi(target, { INGEST_TOKEN });
      return { app: api.app, port: Number(new URL(api.baseUrl).port), ingestToken: INGEST_TOKEN };
    },
    () => api.stop(),
  );
});
