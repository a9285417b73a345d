import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { KafkaError, KafkaErrorCode, toKafkaError } from './kafka.errors';

// The client's own error classes, built the way it builds them, so the mapping is checked against the real shapes.
function protocolError(type: string): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(`broker said ${type}`), { type, code: 1 }));
}

describe(toKafkaError.name, () => {
  it.each([
    [
      'a refused connection',
      new KafkaJSConnectionError('connect ECONNREFUSED 127.0.0.1:1'),
      KafkaErrorCode.BrokerUnavailable,
    ],
    [
      'retries that ran out over a dropped connection',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection closed'), {
        retryCount: 5,
        retryTime: 1,
      }),
      KafkaErrorCode.BrokerUnavailable,
    ],
    [
      'a request timeout',
      new KafkaJSRequestTimeoutError('Request Produce(key: 0) timed out'),
      KafkaErrorCode.Timeout,
    ],
    ['a record over the size limit', protocolError('MESSAGE_TOO_LARGE'), KafkaErrorCode.RecordTooLarge],
    ['a request over the size limit', protocolError('RECORD_LIST_TOO_LARGE'), KafkaErrorCode.RecordTooLarge],
    ['an unknown topic', protocolError('UNKNOWN_TOPIC_OR_PARTITION'), KafkaErrorCode.UnknownTopic],
    ['a refused topic', protocolError('TOPIC_AUTHORIZATION_FAILED'), KafkaErrorCode.NotAuthorized],
    ['another protocol error', protocolError('CORRUPT_MESSAGE'), KafkaErrorCode.Unexpected],
    ['a generic client error', new KafkaJSError('something odd'), KafkaErrorCode.Unexpected],
    ['something that is not an Error', 'a string', KafkaErrorCode.Unexpected],
  ])('maps %s', (_case, error, code) => {
    const mapped = toKafkaError(error, 'producing 1 record(s) to events');
    expect(mapped).toBeInstanceOf(KafkaError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(/^Kafka failed producing 1 record\(s\) to events: /);
    expect(mapped.cause).toBe(error);
  });

  it('returns a KafkaError unchanged', () => {
    const error = new KafkaError(KafkaErrorCode.InvalidPosition, 'bad position');
    expect(toKafkaError(error, 'subscribing')).toBe(error);
  });
});
