import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { AppConfig, InvalidEnvironmentError, loadConfig } from '@app/config';
import { bootstrapHttpApp } from '@app/http';
import { INGEST_BODY_LIMIT_BYTES } from '@app/ingest';
import { DATABASE_FILE_NAME } from '@app/sqlite';
import { join } from 'node:path';
import { seedDemo } from './seed-demo';
import { StoreModule } from './store.module';

const USAGE = 'usage: node dist/apps/store/src/main.js [--demo]   (npm start -- --demo)';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { demo: { type: 'boolean', default: false } } });
  const config = loadConfig();
  if (config.profile !== 'embedded') {
    throw new Error(
      'apps/store runs the embedded profile; with KAFKA_BROKERS and MONGODB_URI set, run apps/projector and ' +
        'apps/query-api instead (or unset both to use SQLite)',
    );
  }
  const app = await bootstrapHttpApp(StoreModule.forRoot(config), {
    bodyLimitBytes: INGEST_BODY_LIMIT_BYTES,
    console: true,
    openApi: {
      title: 'agent-session-store',
      description: 'Session events in, SessionView documents out: the embedded profile in one process.',
      version: '0.1.0',
    },
  });
  const logger = new Logger('Store');
  logger.log(`serving on ${baseUrl(config)} with data in ${join(config.dataDir, DATABASE_FILE_NAME)}`);
  if (values.demo) await seedDemo(app, baseUrl(config));
}

function baseUrl(config: AppConfig): string {
  return `http://${config.http.host}:${config.http.port}`;
}

main().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) console.error(error.message);
  else if (
    error instanceof TypeError &&
    (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
  ) {
    console.error(`${error.message}\n${USAGE}`);
  } else console.error(error);
  process.exit(1);
});
