import 'reflect-metadata';
import { InvalidEnvironmentError, loadConfig } from '@app/config';
import { bootstrapHttpApp } from '@app/http';
import { Logger } from '@nestjs/common';
import { QUERY_API_DOCUMENT } from './query-api.document';
import { QueryApiModule } from './query-api.module';

async function main(): Promise<void> {
  const config = loadConfig();
  await bootstrapHttpApp(QueryApiModule.forRoot(config), { openApi: QUERY_API_DOCUMENT });
  new Logger('QueryApi').log(
    `serving on http://${config.http.host}:${config.http.port} (${config.profile} profile, AUTH_MODE=${config.auth.mode})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
