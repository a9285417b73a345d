import 'reflect-metadata';
import { InvalidEnvironmentError, loadConfig } from '@app/config';
import { bootstrapHttpApp } from '@app/http';
import { INGEST_BODY_LIMIT_BYTES } from '@app/ingest';
import { Logger } from '@nestjs/common';
import { QUERY_API_DOCUMENT } from './query-api.document';
import { QueryApiModule } from './query-api.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const ingest = config.ingestToken !== null;
  await bootstrapHttpApp(QueryApiModule.forRoot(config), {
    openApi: QUERY_API_DOCUMENT,
    bodyLimitBytes: ingest ? INGEST_BODY_LIMIT_BYTES : undefined,
    console: true,
  });
  new Logger('QueryApi').log(
    `serving on http://${config.http.host}:${config.http.port} (${config.profile} profile, AUTH_MODE=${config.auth.mode}, ` +
      `ingest ${ingest ? 'on' : 'off: set INGEST_TOKEN to take POST /sessions/events'})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
