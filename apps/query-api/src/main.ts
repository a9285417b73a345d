import 'reflect-metadata';
import { bootstrapHttpApp } from '@app/http';
import { INGEST_BODY_LIMIT_BYTES } from '@app/ingest';
import { listeningUrl, startApp } from '@app/logging';
import { QUERY_API_DOCUMENT } from './query-api.document';
import { QueryApiModule } from './query-api.module';

startApp('QueryApi', async (config, logger) => {
  const ingest = config.ingestToken !== null;
  const app = await bootstrapHttpApp(QueryApiModule.forRoot(config), {
    logger,
    openApi: QUERY_API_DOCUMENT,
    bodyLimitBytes: ingest ? INGEST_BODY_LIMIT_BYTES : undefined,
    console: true,
  });
  logger.announce(
    `serving on ${listeningUrl(app)} (${config.profile} profile, AUTH_MODE=${config.auth.mode}, ` +
      `ingest ${ingest ? 'on' : 'off: set INGEST_TOKEN to take POST /sessions/events'})`,
    'QueryApi',
  );
});
