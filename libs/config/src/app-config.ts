import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { createPublicKey } from 'node:crypto';
import { resolve } from 'node:path';
import { Environment, ENVIRONMENT_KEYS } from './environment';

export type RuntimeProfile = 'embedded' | 'production';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  eventsTopic: string;
  changesTopic: string;
  deadLetterTopic: string;
  partitions: number;
  replicationFactor: number;
  consumerGroup: string;
}

export interface MongoConfig {
  uri: string;
  database: string;
  /** Applied to every archive, view and generation write. */
  writeConcern: { w: 'majority' | 1; journal: boolean };
  serverSelectionTimeoutMS: number;
  wrapNestedArrays: boolean;
}

export type AuthConfig =
  | { mode: 'header' }
  | { mode: 'jwt'; secret?: string; publicKey?: string; issuer?: string; audience?: string };

/** The validated, typed configuration every app receives; read once at start-up. */
export class AppConfig {
  constructor(
    readonly profile: RuntimeProfile,
    readonly http: { host: string; port: number },
    readonly dataDir: string,
    readonly kafka: KafkaConfig | null,
    readonly mongo: MongoConfig | null,
    readonly auth: AuthConfig,
    readonly ingestToken: string | null,
    readonly projectorBatchSize: number,
    readonly logLevel: Environment['LOG_LEVEL'],
    readonly logFormat: Environment['LOG_FORMAT'],
    readonly httpLimits: HttpLimitsConfig,
    /** The bearer token of the operators' routes (/operations/*); null when they are not served. */
    readonly operatorToken: string | null,
    readonly freshness: FreshnessConfig,
  ) {}
}

/** Reads that wait for a log position, and how the query API watches the projection's progress. */
export interface FreshnessConfig {
  waitDefaultMs: number;
  waitMaxMs: number;
  watchMs: number;
  /** 0: readiness ignores lag. */
  readinessMaxLagMs: number;
}

/** What one caller, and all callers together, may hold of the HTTP server. */
export interface HttpLimitsConfig {
  /** Requests per minute per caller; 0 when rate limiting is off. */
  rateLimitPerMinute: number;
  maxChangeStreams: number;
  maxChangeStreamsPerCaller: number;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = InvalidEnvironmentError.name;
  }
}

/** Reads only the keys we know, so an unrelated variable can never fail start-up. */
function pickKnownKeys(env: NodeJS.ProcessEnv): Record<string, string> {
  const known: Record<string, string> = {};
  for (const key of ENVIRONMENT_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') known[key] = value;
  }
  return known;
}

const JWT_SETTINGS = ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_ISSUER', 'JWT_AUDIENCE'] as const;

/**
 * `app`: a process that runs a profile, which needs KAFKA_BROKERS and MONGODB_URI together or neither. `storage`: a
 * tool that only reads and writes the stores (the CLI's audit commands), for which MONGODB_URI alone selects MongoDB.
 */
export type ConfigScope = 'app' | 'storage';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, scope: ConfigScope = 'app'): AppConfig {
  const parsed = plainToInstance(Environment, pickKnownKeys(env), { enableImplicitConversion: true });
  const problems = validateSync(parsed, { forbidUnknownValues: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property} ${message}`,
    ),
  );

  if (scope === 'app' && !!parsed.KAFKA_BROKERS !== !!parsed.MONGODB_URI) {
    problems.push(
      'KAFKA_BROKERS and MONGODB_URI select the production profile together: set both, or neither for the embedded profile',
    );
  }
  if (parsed.AUTH_MODE === 'jwt' && !parsed.JWT_SECRET && !parsed.JWT_PUBLIC_KEY) {
    problems.push('AUTH_MODE=jwt needs JWT_SECRET (HS256) or JWT_PUBLIC_KEY (RS256)');
  }
  const jwtSettings = JWT_SETTINGS.filter((key) => parsed[key] !== undefined);
  if (parsed.AUTH_MODE !== 'jwt' && jwtSettings.length > 0) {
    // A deployment that configured tokens but forgot AUTH_MODE would otherwise trust any x-user-id header.
    problems.push(
      `${jwtSettings.join(', ')} set, but AUTH_MODE is ${parsed.AUTH_MODE}: set AUTH_MODE=jwt, or unset them`,
    );
  }
  if (parsed.JWT_SECRET && parsed.JWT_PUBLIC_KEY) {
    problems.push('set only one of JWT_SECRET and JWT_PUBLIC_KEY: one token algorithm is accepted');
  }
  if (parsed.POSITION_WAIT_DEFAULT_MS > parsed.POSITION_WAIT_MAX_MS) {
    problems.push(
      `POSITION_WAIT_DEFAULT_MS (${parsed.POSITION_WAIT_DEFAULT_MS}) must not exceed POSITION_WAIT_MAX_MS (${parsed.POSITION_WAIT_MAX_MS})`,
    );
  }
  const publicKeyProblem = parsed.JWT_PUBLIC_KEY && rsaPublicKeyProblem(parsed.JWT_PUBLIC_KEY);
  if (publicKeyProblem) problems.push(`JWT_PUBLIC_KEY ${publicKeyProblem}`);
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);

  const production = !!parsed.MONGODB_URI;
  return new AppConfig(
    production ? 'production' : 'embedded',
    { host: parsed.HTTP_HOST, port: parsed.HTTP_PORT },
    resolve(parsed.DATA_DIR),
    parsed.KAFKA_BROKERS
      ? {
          brokers: parsed.KAFKA_BROKERS.split(','),
          clientId: parsed.KAFKA_CLIENT_ID,
          eventsTopic: parsed.KAFKA_EVENTS_TOPIC,
          changesTopic: parsed.KAFKA_CHANGES_TOPIC,
          deadLetterTopic: parsed.KAFKA_DEAD_LETTER_TOPIC,
          partitions: parsed.KAFKA_TOPIC_PARTITIONS,
          replicationFactor: parsed.KAFKA_REPLICATION_FACTOR,
          consumerGroup: parsed.KAFKA_CONSUMER_GROUP,
        }
      : null,
    production
      ? {
          uri: parsed.MONGODB_URI!,
          database: parsed.MONGODB_DATABASE,
          writeConcern: {
            w: parsed.MONGODB_WRITE_CONCERN === 'majority' ? 'majority' : 1,
            journal: parsed.MONGODB_JOURNAL === 'true',
          },
          serverSelectionTimeoutMS: parsed.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
          wrapNestedArrays: parsed.MONGODB_WRAP_NESTED_ARRAYS === 'true',
        }
      : null,
    parsed.AUTH_MODE === 'jwt'
      ? {
          mode: 'jwt',
          secret: parsed.JWT_SECRET,
          publicKey: parsed.JWT_PUBLIC_KEY,
          issuer: parsed.JWT_ISSUER,
          audience: parsed.JWT_AUDIENCE,
        }
      : { mode: 'header' },
    parsed.INGEST_TOKEN ?? null,
    parsed.PROJECTOR_BATCH_SIZE,
    parsed.LOG_LEVEL,
    parsed.LOG_FORMAT,
    {
      rateLimitPerMinute: parsed.RATE_LIMIT_PER_MINUTE,
      maxChangeStreams: parsed.MAX_CHANGE_STREAMS,
      maxChangeStreamsPerCaller: parsed.MAX_CHANGE_STREAMS_PER_CALLER,
    },
    parsed.OPERATOR_TOKEN ?? null,
    {
      waitDefaultMs: parsed.POSITION_WAIT_DEFAULT_MS,
      waitMaxMs: parsed.POSITION_WAIT_MAX_MS,
      watchMs: parsed.PROJECTION_WATCH_MS,
      readinessMaxLagMs: parsed.READINESS_MAX_LAG_MS,
    },
  );
}

/**
 * The key is imported on the first request; checked here, a key that cannot verify RS256 stops start-up instead of
 * turning every request into a 401 that blames the caller's token.
 */
function rsaPublicKeyProblem(pem: string): string | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'rsa'
      ? undefined
      : `must be an RSA key for RS256, not ${key.asymmetricKeyType}`;
  } catch (error) {
    return `is not a readable PEM public key (${(error as Error).message})`;
  }
}
