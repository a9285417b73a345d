import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { KafkaError, KafkaErrorCode } from './kafka.errors';
import { isRetriableKafkaError, RetryClock, retryRetriable } from './kafka-retry';

function protocolError(type: string): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(`broker said ${type}`), { type, code: 1 }));
}

/** The client's error classes take a message, although its type declarations say otherwise for some. */
function clientError(type: unknown, message: string): Error {
  return new (type as new (message: string) => Error)(message);
}

/** A clock whose sleeps only move its own time forward, so the bound is checked without waiting. */
function fakeClock(): RetryClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe(isRetriableKafkaError.name, () => {
  it.each([
    ['not the leader', protocolError('NOT_LEADER_FOR_PARTITION')],
    ['does not host this topic-partition', protocolError('UNKNOWN_TOPIC_OR_PARTITION')],
    ['coordinator not available', protocolError('GROUP_COORDINATOR_NOT_AVAILABLE')],
    ['no coordinator found', clientError(KafkaJSGroupCoordinatorNotFound, 'no coordinator for the group')],
    [
      'retries that ran out on a moving leader',
      new KafkaJSNumberOfRetriesExceeded(protocolError('LEADER_NOT_AVAILABLE'), {
        retryCount: 5,
        retryTime: 1,
      }),
    ],
    [
      'an aggregate holding one',
      new KafkaJSAggregateError('topic creation', [protocolError('NOT_LEADER_FOR_PARTITION')]),
    ],
  ])('retries %s', (_name, error) => {
    expect(isRetriableKafkaError(error)).toBe(true);
  });

  it.each([
    ['a refused connection', new KafkaJSConnectionError('connect ECONNREFUSED')],
    ['a record too large', protocolError('MESSAGE_TOO_LARGE')],
    ['an authorization failure', protocolError('TOPIC_AUTHORIZATION_FAILED')],
    ['a plain error', new Error('boom')],
  ])('does not retry %s', (_name, error) => {
    expect(isRetriableKafkaError(error)).toBe(false);
  });
});

describe(retryRetriable.name, () => {
  it('retries retriable answers with growing pauses until the call succeeds', async () => {
    const clock = fakeClock();
    const answers = [protocolError('NOT_LEADER_FOR_PARTITION'), protocolError('UNKNOWN_TOPIC_OR_PARTITION')];
    const work = jest.fn(async () => {
      const next = answers.shift();
      if (next) throw next;
      return 'offsets';
    });
    await expect(retryRetriable('reading offsets', work, { clock })).resolves.toBe('offsets');
    expect(work).toHaveBeenCalledTimes(3);
    expect(clock.slept[1]).toBeGreaterThan(clock.slept[0]);
  });

  it('raises any other failure at once as a KafkaError naming the action', async () => {
    const clock = fakeClock();
    const work = jest.fn(async () => {
      throw protocolError('TOPIC_AUTHORIZATION_FAILED');
    });
    const failure = retryRetriable('reading offsets', work, { clock });
    await expect(failure).rejects.toBeInstanceOf(KafkaError);
    await expect(failure).rejects.toMatchObject({
      code: KafkaErrorCode.NotAuthorized,
      message: expect.stringContaining('reading offsets'),
    });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('gives up once the bound has passed, with the last answer', async () => {
    const clock = fakeClock();
    const work = jest.fn(async () => {
      throw protocolError('NOT_LEADER_FOR_PARTITION');
    });
    await expect(retryRetriable('creating the topics', work, { clock, boundMs: 5_000 })).rejects.toThrow(
      /creating the topics: broker said NOT_LEADER_FOR_PARTITION/,
    );
    expect(clock.slept.reduce((sum, ms) => sum + ms, 0)).toBe(5_000);
  });
});
