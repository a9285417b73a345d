import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const trimmedOrUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

export const AUTH_MODES = ['header', 'jwt'] as const;
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export const LOG_FORMATS = ['text', 'json'] as const;
export const MONGODB_WRITE_CONCERNS = ['majority', '1'] as const;
const BOOLEANS = ['true', 'false'] as const;
/** The longest a read may wait for a log position: inside the 60 s every request is given (request-timeouts.ts). */
export const LONGEST_POSITION_WAIT_MS = 55_000;
/** The widest lag limit readiness takes: a day. */
export const LONGEST_LAG_LIMIT_MS = 86_400_000;

/** `info` is what log shippers and most other software call Nest's `log` level; both names are accepted. */
const logLevelName = ({ value }: { value: unknown }) => {
  const name = trimmedOrUndefined({ value })?.toLowerCase();
  return name === 'info' ? 'log' : name;
};

/**
 * Every environment variable the apps read, with its default. This class is the single place where defaults live;
 * docker-compose.yml is checked against its keys by a test.
 */
export class Environment {
  @Transform(trimmedOrUndefined)
  @IsString()
  HTTP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3000;

  @Transform(trimmedOrUndefined)
  @IsString()
  DATA_DIR: string = './data';

  @IsOptional()
  @Transform(trimmedOrUndefined)
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  @Transform(trimmedOrUndefined)
  @IsString()
  KAFKA_CLIENT_ID: string = 'agent-session-store';

  @Transform(trimmedOrUndefined)
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'must be a valid Kafka topic name' })
  KAFKA_EVENTS_TOPIC: string = 'session-events';

  @Transform(trimmedOrUndefined)
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'must be a valid Kafka topic name' })
  KAFKA_CHANGES_TOPIC: string = 'session-changes';

  @Transform(trimmedOrUndefined)
  @Matches(/^[a-zA-Z0-9._-]{1,249}$/, { message: 'must be a valid Kafka topic name' })
  KAFKA_DEAD_LETTER_TOPIC: string = 'session-events.dead-letter';

  @IsInt()
  @Min(1)
  @Max(10000)
  KAFKA_TOPIC_PARTITIONS: number = 6;

  @IsInt()
  @Min(1)
  @Max(7)
  KAFKA_REPLICATION_FACTOR: number = 1;

  @Transform(trimmedOrUndefined)
  @IsString()
  KAFKA_CONSUMER_GROUP: string = 'session-projector';

  @IsOptional()
  @Transform(trimmedOrUndefined)
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// or mongodb+srv:// connection string' })
  MONGODB_URI?: string;

  @Transform(trimmedOrUndefined)
  @Matches(/^[a-zA-Z0-9_-]{1,63}$/, { message: 'must be a valid MongoDB database name' })
  MONGODB_DATABASE: string = 'agent_session_store';

  /** `majority`: an acknowledged write is on a majority of the replica set; `1`: on the primary alone. */
  @Transform(trimmedOrUndefined)
  @IsIn(MONGODB_WRITE_CONCERNS)
  MONGODB_WRITE_CONCERN: (typeof MONGODB_WRITE_CONCERNS)[number] = 'majority';

  /** Whether an acknowledged write waits until it is in the on-disk journal. */
  @Transform(trimmedOrUndefined)
  @IsIn(BOOLEANS)
  MONGODB_JOURNAL: (typeof BOOLEANS)[number] = 'true';

  /** How long an operation waits for a reachable server before it fails (and a read answers 503). */
  @IsInt()
  @Min(100)
  @Max(60000)
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: number = 2000;

  /** Only for FerretDB v1, which stores no arrays directly inside arrays (see document-keys.ts). */
  @Transform(trimmedOrUndefined)
  @IsIn(BOOLEANS)
  MONGODB_WRAP_NESTED_ARRAYS: (typeof BOOLEANS)[number] = 'false';

  @Transform(trimmedOrUndefined)
  @IsIn(AUTH_MODES)
  AUTH_MODE: (typeof AUTH_MODES)[number] = 'header';

  @IsOptional()
  @Transform(trimmedOrUndefined)
  @MinLength(32, { message: 'must be at least 32 characters (256 bits) for HS256' })
  JWT_SECRET?: string;

  @IsOptional()
  @Transform(trimmedOrUndefined)
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'must be a PEM-encoded SPKI public key' })
  JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @Transform(trimmedOrUndefined)
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @Transform(trimmedOrUndefined)
  @IsString()
  JWT_AUDIENCE?: string;

  @IsOptional()
  @Transform(trimmedOrUndefined)
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(512)
  INGEST_TOKEN?: string;

  /** The operators' bearer token for /operations/*; without it those routes do not exist. */
  @IsOptional()
  @Transform(trimmedOrUndefined)
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(512)
  OPERATOR_TOKEN?: string;

  @IsInt()
  @Min(1)
  @Max(10000)
  PROJECTOR_BATCH_SIZE: number = 500;

  /** Requests per minute one caller may make; 0 turns rate limiting off. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE: number = 0;

  /** Change streams (GET /sessions/changes) open at once, in all. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MAX_CHANGE_STREAMS: number = 1000;

  /** Change streams one caller may hold open at once. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_CHANGE_STREAMS_PER_CALLER: number = 8;

  /** How long a read given `min_position` waits for the projection when the request names no `max_wait_ms`. */
  @IsInt()
  @Min(0)
  @Max(LONGEST_POSITION_WAIT_MS)
  POSITION_WAIT_DEFAULT_MS: number = 2000;

  /** The longest wait a read may ask for with `max_wait_ms`: a waiting request holds a connection. */
  @IsInt()
  @Min(0)
  @Max(LONGEST_POSITION_WAIT_MS)
  POSITION_WAIT_MAX_MS: number = 30_000;

  /** How often the query API reads the projection's position while requests wait for one. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  PROJECTION_WATCH_MS: number = 20;

  /** `/health/ready` reports not ready while the projection is this far behind the log; 0 leaves lag out of it. */
  @IsInt()
  @Min(0)
  @Max(LONGEST_LAG_LIMIT_MS)
  READINESS_MAX_LAG_MS: number = 0;

  @Transform(logLevelName)
  @IsIn(LOG_LEVELS, { message: `must be one of: info, ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'log';

  @Transform(trimmedOrUndefined)
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: (typeof LOG_FORMATS)[number] = 'text';
}

// Optional keys have no initialiser, so whether `new Environment()` owns them depends on the compiler's class-field
// semantics; naming them here keeps the list the same under tsc and SWC.
export const ENVIRONMENT_KEYS: readonly string[] = [
  ...new Set([
    ...Object.keys(new Environment()),
    'KAFKA_BROKERS',
    'MONGODB_URI',
    'JWT_SECRET',
    'JWT_PUBLIC_KEY',
    'JWT_ISSUER',
    'JWT_AUDIENCE',
    'INGEST_TOKEN',
    'OPERATOR_TOKEN',
  ]),
];
