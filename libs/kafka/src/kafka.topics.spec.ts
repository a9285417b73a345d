import { loadConfig } from '@app/config';
import { DEAD_LETTER_RETENTION_MS, topicSettings } from './kafka.topics';

function kafkaConfig(env: Record<string, string> = {}) {
  return loadConfig({ KAFKA_BROKERS: 'k:9092', MONGODB_URI: 'mongodb://m:27017', ...env }).kafka!;
}

const entries = (settings: { configEntries: { name: string; value: string }[] }) =>
  Object.fromEntries(settings.configEntries.map(({ name, value }) => [name, value]));

describe(topicSettings.name, () => {
  it('keeps the events forever, compacts the changes and keeps dead letters long', () => {
    const [events, changes, deadLetters] = topicSettings(
      kafkaConfig({ KAFKA_TOPIC_PARTITIONS: '12', KAFKA_REPLICATION_FACTOR: '3' }),
    );
    expect(events).toMatchObject({ topic: 'session-events', numPartitions: 12, replicationFactor: 3 });
    expect(entries(events)).toEqual({
      'retention.ms': '-1',
      'retention.bytes': '-1',
      'min.insync.replicas': '2',
    });
    expect(changes.topic).toBe('session-changes');
    expect(entries(changes)).toEqual({ 'cleanup.policy': 'compact', 'min.insync.replicas': '2' });
    expect(deadLetters.topic).toBe('session-events.dead-letter');
    expect(entries(deadLetters)).toEqual({
      'retention.ms': String(DEAD_LETTER_RETENTION_MS),
      'min.insync.replicas': '2',
    });
  });

  it('asks for no more in-sync replicas than a topic has', () => {
    for (const settings of topicSettings(kafkaConfig({ KAFKA_REPLICATION_FACTOR: '1' }))) {
      expect(entries(settings)['min.insync.replicas']).toBe('1');
    }
  });
});
