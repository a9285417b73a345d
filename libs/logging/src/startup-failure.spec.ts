import { loadConfig } from '@app/config';
import { describeStartupFailure } from './startup-failure';

const named = (name: string, message: string, extra: object = {}, cause?: Error) =>
  Object.assign(new Error(message, { cause }), { name }, extra);

describe(describeStartupFailure.name, () => {
  const embedded = loadConfig({ DATA_DIR: '/srv/store' });
  const production = loadConfig({ KAFKA_BROKERS: 'k1:9092,k2:9092', MONGODB_URI: 'mongodb://m:27017' });

  it('names KAFKA_BROKERS for the broker client or adapter, looking through wrapped causes', () => {
    const refused = named('KafkaJSConnectionError', 'connect ECONNREFUSED');
    expect(describeStartupFailure(named('KafkaJSNumberOfRetriesExceeded', '', {}, refused), production)).toBe(
      'KAFKA_BROKERS k1:9092,k2:9092 failed (connect ECONNREFUSED): check KAFKA_BROKERS and that the brokers are up',
    );
  });

  it('names DATA_DIR when SQLite cannot open or write its file', () => {
    const error = named('SqliteError', 'attempt to write a readonly database', { code: 'SQLITE_READONLY' });
    expect(describeStartupFailure(error, embedded)).toMatch(/^DATA_DIR \/srv\/store cannot hold the store/);
  });

  it('names HTTP_PORT for a privileged port', () => {
    const error = named('Error', 'listen EACCES', { code: 'EACCES', syscall: 'listen' });
    expect(describeStartupFailure(error, embedded)).toMatch(/^HTTP_PORT 3000 needs privileges/);
  });

  it('says what failed when no variable is to blame', () => {
    expect(describeStartupFailure(new Error('boom'), embedded)).toBe('start-up failed: boom');
    expect(describeStartupFailure(named('MongoServerSelectionError', 'timeout'), embedded)).toBe(
      'start-up failed: timeout',
    );
  });
});
