import { SessionEvent } from '@app/domain';
import { SessionEmitter } from '@app/emitter';
import { withKafkaAdmin } from '@app/kafka-log';
import { uniqueSessionId } from '../contracts/contract-support';
import { realisticHistory } from '../factories/session-events';
import { kafkaBrokers, uniqueName } from '../support/infra';
import { deleteTopics, readTopic, testKafkaClient } from '../support/kafka';

describe(`${SessionEmitter.name} on the broker`, () => {
  const kafka = testKafkaClient();
  let topic: string;
  let emitter: SessionEmitter;

  beforeEach(async () => {
    topic = uniqueName('emitted');
    // Created as the adapters create topics: usable only once every partition's leader answers for it.
    await withKafkaAdmin(kafka, `creating ${topic}`, async (admin) => {
      await admin.call((client) => client.createTopics({ topics: [{ topic, numPartitions: 3 }] }));
      await admin.waitForLeaders([topic]);
    });
    emitter = new SessionEmitter({ brokers: kafkaBrokers(), topic, clientId: uniqueName('runtime') });
    await emitter.connect();
  });

  afterEach(async () => {
    await emitter.disconnect();
    await deleteTopics(kafka, [topic]);
  });

  const positions = new Map<string, string>();
  const emitAll = async (sessionId: string, events: SessionEvent[]) => {
    const emitted: SessionEvent[] = [];
    for (const { type, data } of events) {
      const { event, position } = await emitter.emit(sessionId, type, data);
      emitted.push(event);
      positions.set(event.event_id, position);
    }
    return emitted;
  };

  it('writes each session to one partition in seq order, keyed by session id with the event type in a header', async () => {
    const [a, b] = [emitter.openSession(uniqueSessionId('a')), emitter.openSession(uniqueSessionId('b'))];
    const [emittedA, emittedB] = await Promise.all([
      emitAll(a, realisticHistory(a)),
      emitAll(b, realisticHistory(b)),
    ]);

    const records = await readTopic(kafka, topic);
    for (const [sessionId, emitted] of [
      [a, emittedA],
      [b, emittedB],
    ] as const) {
      const ofSession = records.filter(({ message }) => message.key?.toString() === sessionId);
      expect(new Set(ofSession.map(({ partition }) => partition)).size).toBe(1);
      expect(ofSession.map(({ message }) => JSON.parse(message.value!.toString()))).toEqual(emitted);
      expect(ofSession.map(({ message }) => message.headers?.['event-type']?.toString())).toEqual(
        emitted.map(({ type }) => type),
      );
      expect(emitted.map(({ seq }) => seq)).toEqual(emitted.map((_event, index) => index + 1));
      // Each acknowledgement names the record's partition and the offset just past it.
      expect(emitted.map(({ event_id }) => positions.get(event_id))).toEqual(
        ofSession.map(({ partition, message }) => `${partition}:${BigInt(message.offset) + 1n}`),
      );
    }
  });

  it('lets a restarted runtime resume a session where the log left it', async () => {
    const sessionId = emitter.openSession(uniqueSessionId());
    const history = realisticHistory(sessionId);
    await emitAll(sessionId, history.slice(0, 3));
    await emitter.disconnect();

    emitter = new SessionEmitter({ brokers: kafkaBrokers(), topic, clientId: uniqueName('runtime') });
    await emitter.connect();
    emitter.resumeSession(sessionId, 3);
    await emitAll(sessionId, history.slice(3, 5));

    const seqs = (await readTopic(kafka, topic)).map(
      ({ message }) => JSON.parse(message.value!.toString()).seq,
    );
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });
});
