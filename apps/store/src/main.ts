import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { bootstrapHttpApp } from '@app/http';
import { INGEST_BODY_LIMIT_BYTES } from '@app/ingest';
import { listeningUrl, startApp } from '@app/logging';
import { DATABASE_FILE_NAME } from '@app/sqlite';
import { join } from 'node:path';
import { seedDemo } from './seed-demo';
import { StoreModule } from './store.module';

const USAGE = 'usage: node dist/apps/store/src/main.js [--demo]   (npm start -- --demo)';

function demoRequested(): boolean {
  try {
    return parseArgs({ options: { demo: { type: 'boolean', default: false } } }).values.demo;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const demo = demoRequested();
startApp('Store', async (config, logger) => {
  if (config.profile !== 'embedded') {
    throw new Error(
      'apps/store runs the embedded profile; with KAFKA_BROKERS and MONGODB_URI set, run apps/projector and ' +
        'apps/query-api instead (or unset both to use SQLite)',
    );
  }
  const app = await bootstrapHttpApp(StoreModule.forRoot(config), {
    logger,
    bodyLimitBytes: INGEST_BODY_LIMIT_BYTES,
    console: true,
    openApi: {
      title: 'agent-session-store',
      description: 'Session events in, SessionView documents out: the embedded profile in one process.',
      version: '0.1.0',
    },
  });
  const url = listeningUrl(app);
  logger.announce(`serving on ${url} with data in ${join(config.dataDir, DATABASE_FILE_NAME)}`, 'Store');
  if (demo) await seedDemo(app, url);
});
