import { AppConfig, loadConfig } from '@app/config';
import { INestApplication, Logger } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { AppLogger } from './app-logger';
import { describeStartupFailure } from './startup-failure';

/**
 * Runs an app's start-up with its logger in place. Any failure is one line naming the variable to change (the stack
 * at debug), and the process exits 1: a supervisor sees the failure, and an operator sees what to fix.
 */
export function startApp(
  context: string,
  start: (config: AppConfig, logger: AppLogger) => Promise<void>,
): void {
  let config: AppConfig | undefined;
  // Until the configuration is read, the format asked for is taken as written, so the failure line matches the rest.
  let logger = new AppLogger({
    logLevel: 'log',
    logFormat: process.env.LOG_FORMAT?.trim() === 'json' ? 'json' : 'text',
  });
  const run = async () => {
    config = loadConfig();
    logger = new AppLogger(config);
    Logger.overrideLogger(logger);
    await start(config, logger);
  };
  run().catch((error: unknown) => {
    logger.debug(error instanceof Error ? (error.stack ?? error.message) : String(error), context);
    logger.error(describeStartupFailure(error, config), context);
    process.exit(1);
  });
}

/** The address the app's server is bound to, which names the real port when HTTP_PORT is 0. */
export function listeningUrl(app: INestApplication): string {
  const { address, family, port } = app.getHttpServer().address() as AddressInfo;
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
}
