import { AppConfig, InvalidEnvironmentError } from '@app/config';

/**
 * One line for an operator: what failed and which variable to change. Errors are recognised by name and code rather
 * than by class, so this module needs neither database driver nor broker client.
 */
export function describeStartupFailure(
  error: unknown,
  config: AppConfig | undefined,
  /** What failed, when no variable is to blame: `start-up`, or the CLI command that ran. */
  what = 'start-up',
): string {
  if (error instanceof InvalidEnvironmentError) return `invalid environment: ${error.problems.join('; ')}`;
  const chain = causeChain(error);
  const message = chain.map((e) => e.message).find((text) => text !== '') ?? String(error);
  if (config) {
    const listenProblem = chain.map((e) => listenFailure(e, config)).find((line) => line !== undefined);
    if (listenProblem) return listenProblem;
    if (config.profile === 'embedded' && chain.some((e) => isStorageFailure(e, config.dataDir))) {
      return `DATA_DIR ${config.dataDir} cannot hold the store (${message}): set DATA_DIR to a folder this user can write`;
    }
    if (config.mongo && chain.some((e) => e.name.startsWith('Mongo'))) {
      return `MONGODB_URI ${withoutPassword(config.mongo.uri)} failed (${message}): check MONGODB_URI and that the server is up`;
    }
    if (config.kafka && chain.some((e) => e.name === 'KafkaError' || e.name.startsWith('KafkaJS'))) {
      return `KAFKA_BROKERS ${config.kafka.brokers.join(',')} failed (${message}): check KAFKA_BROKERS and that the brokers are up`;
    }
  }
  return `${what} failed: ${message}`;
}

type ErrnoError = Error & { code?: string; syscall?: string; path?: string };

function listenFailure(error: ErrnoError, config: AppConfig): string | undefined {
  const { host, port } = config.http;
  switch (error.code) {
    case 'EADDRINUSE':
      return `HTTP_PORT ${port} is already in use on ${host}: set HTTP_PORT to a free port, or stop the process holding it`;
    case 'EACCES':
      return error.syscall === 'listen'
        ? `HTTP_PORT ${port} needs privileges this user lacks: set HTTP_PORT to 1024 or above`
        : undefined;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `HTTP_HOST ${host} is not an address of this machine: set HTTP_HOST (0.0.0.0 listens on every interface)`;
    default:
      return undefined;
  }
}

/** A file-system error under DATA_DIR, or SQLite unable to open or write its file. */
function isStorageFailure(error: ErrnoError, dataDir: string): boolean {
  if (error.name === 'SqliteError')
    return /^SQLITE_(CANTOPEN|READONLY|IOERR|PERM|FULL)/.test(error.code ?? '');
  return error.path !== undefined && (dataDir.startsWith(error.path) || error.path.startsWith(dataDir));
}

function causeChain(error: unknown): ErrnoError[] {
  const chain: ErrnoError[] = [];
  for (let next = error; next instanceof Error && chain.length < 10; next = next.cause) chain.push(next);
  return chain;
}

/** A connection string may carry a password; a log line or a message must not. */
export function withoutPassword(uri: string): string {
  return uri.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
