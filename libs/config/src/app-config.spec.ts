import { generateKeyPairSync } from 'node:crypto';
import { InvalidEnvironmentError, loadConfig } from './app-config';

const publicKeyPem = (type: 'rsa' | 'ec') =>
  (type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  ).publicKey
    .export({ type: 'spki', format: 'pem' })
    .toString();

describe(loadConfig.name, () => {
  it('selects the embedded profile with no configuration', () => {
    const config = loadConfig({});
    expect(config.profile).toBe('embedded');
    expect(config.kafka).toBeNull();
    expect(config.mongo).toBeNull();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.auth).toEqual({ mode: 'header' });
  });

  it('selects the production profile when both KAFKA_BROKERS and MONGODB_URI are set', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'a:9092,b:9092',
      MONGODB_URI: 'mongodb://m:27017',
      HTTP_PORT: '8080',
    });
    expect(config.profile).toBe('production');
    expect(config.kafka?.brokers).toEqual(['a:9092', 'b:9092']);
    expect(config.mongo).toEqual({
      uri: 'mongodb://m:27017',
      database: 'agent_session_store',
      writeConcern: { w: 'majority', journal: true },
      serverSelectionTimeoutMS: 2000,
      wrapNestedArrays: false,
    });
    expect(config.http.port).toBe(8080);
  });

  it('writes to MongoDB durably unless told otherwise, and validates the choice', () => {
    const production = { KAFKA_BROKERS: 'a:9092', MONGODB_URI: 'mongodb://m:27017' };
    const fast = loadConfig({ ...production, MONGODB_WRITE_CONCERN: '1', MONGODB_JOURNAL: 'false' });
    expect(fast.mongo?.writeConcern).toEqual({ w: 1, journal: false });
    expect(() =>
      loadConfig({ ...production, MONGODB_WRITE_CONCERN: '0', MONGODB_SERVER_SELECTION_TIMEOUT_MS: '0' }),
    ).toThrow(/MONGODB_WRITE_CONCERN must be one of[\s\S]*MONGODB_SERVER_SELECTION_TIMEOUT_MS/);
  });

  it('names every invalid variable in one error', () => {
    const attempt = () => loadConfig({ HTTP_PORT: 'eighty', AUTH_MODE: 'cookie', KAFKA_BROKERS: 'nohost' });
    expect(attempt).toThrow(InvalidEnvironmentError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^Invalid environment variables/);
    expect(message).toContain('HTTP_PORT');
    expect(message).toContain('AUTH_MODE');
    expect(message).toContain('KAFKA_BROKERS');
    expect(message).toContain('set both, or neither');
  });

  it('requires a key for JWT mode', () => {
    expect(() => loadConfig({ AUTH_MODE: 'jwt' })).toThrow(/JWT_SECRET .* or JWT_PUBLIC_KEY/);
    expect(loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: 'x'.repeat(32) }).auth).toMatchObject({ mode: 'jwt' });
  });

  it('refuses a JWT_PUBLIC_KEY that cannot verify RS256 at start-up', () => {
    const rsa = publicKeyPem('rsa');
    expect(loadConfig({ AUTH_MODE: 'jwt', JWT_PUBLIC_KEY: rsa }).auth).toMatchObject({
      publicKey: rsa.trim(),
    });
    const truncated = rsa.replace(/\n[^-][^\n]*\n-----END/, '\n-----END');
    expect(() => loadConfig({ AUTH_MODE: 'jwt', JWT_PUBLIC_KEY: truncated })).toThrow(
      /JWT_PUBLIC_KEY is not a readable PEM public key/,
    );
    expect(() => loadConfig({ AUTH_MODE: 'jwt', JWT_PUBLIC_KEY: publicKeyPem('ec') })).toThrow(
      /JWT_PUBLIC_KEY must be an RSA key for RS256, not ec/,
    );
  });

  it('takes `info` as the name of the default level, and the log format', () => {
    expect(loadConfig({ LOG_LEVEL: 'INFO' }).logLevel).toBe('log');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({}).logFormat).toBe('text');
    expect(() => loadConfig({ LOG_LEVEL: 'notice', LOG_FORMAT: 'xml' })).toThrow(
      /LOG_LEVEL must be one of: info, error, warn, log, debug, verbose[\s\S]*LOG_FORMAT must be one of/,
    );
  });

  it('lets a storage tool select MongoDB with MONGODB_URI alone', () => {
    expect(() => loadConfig({ MONGODB_URI: 'mongodb://m:27017' })).toThrow(/set both, or neither/);
    const storage = loadConfig({ MONGODB_URI: 'mongodb://m:27017' }, 'storage');
    expect([storage.profile, storage.mongo?.uri, storage.kafka]).toEqual([
      'production',
      'mongodb://m:27017',
      null,
    ]);
    expect(loadConfig({}, 'storage').profile).toBe('embedded');
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/bin', SOMETHING_ELSE: '1' })).not.toThrow();
  });

  it('refuses token settings without AUTH_MODE=jwt, which would leave x-user-id trusted', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /JWT_SECRET set, but AUTH_MODE is header: set AUTH_MODE=jwt/,
    );
    expect(() => loadConfig({ JWT_ISSUER: 'https://issuer', JWT_AUDIENCE: 'store' })).toThrow(
      /JWT_ISSUER, JWT_AUDIENCE set/,
    );
  });

  it('takes an OPERATOR_TOKEN of at least 16 characters, and none by default', () => {
    expect(loadConfig({}).operatorToken).toBeNull();
    expect(loadConfig({ OPERATOR_TOKEN: ' operator-token-0123 ' }).operatorToken).toBe('operator-token-0123');
    expect(() => loadConfig({ OPERATOR_TOKEN: 'short' })).toThrow(
      /OPERATOR_TOKEN must be at least 16 characters/,
    );
  });
});
