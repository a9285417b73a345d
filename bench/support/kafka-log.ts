import { KafkaConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { StandaloneKafkaEventLog, topicSettings } from '@app/kafka';
import { Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueName } from '../../test/support/infra';
import { Advance } from './measure';

const COMMIT_POLL_MS = 50;

/** Creates the events topic of `config` with the settings the apps give it (partitions, retention). */
export async function createEventsTopic(kafka: Kafka, config: KafkaConfig): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const settings = topicSettings(config).filter(({ topic }) => topic === config.eventsTopic);
    await admin.createTopics({ topics: settings, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Appends through the Kafka event log the emitter SDK uses: keyed by session, acknowledged by every replica. */
export async function publishEvents(
  config: KafkaConfig,
  events: readonly SessionEvent[],
  batchSize: number,
  advance: Advance,
): Promise<void> {
  const log = new StandaloneKafkaEventLog({
    brokers: config.brokers,
    clientId: config.clientId,
    topic: config.eventsTopic,
  });
  await log.connect();
  try {
    for (let start = 0; start < events.length; start += batchSize) {
      const batch = events.slice(start, start + batchSize);
      await log.append(batch);
      advance(batch.length);
    }
  } finally {
    await log.disconnect();
  }
}

/** Where each partition of the topic ends now: a consumer group that has committed these offsets is caught up. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, high }) => [partition, high]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Resolves once the group's committed offsets reach `ends` on every partition. `advance` hears of the records
 * committed since the last poll, for a runner whose batches the caller does not see (topics written from offset 0).
 */
export async function untilCommitted(
  kafka: Kafka,
  groupId: string,
  topic: string,
  ends: ReadonlyMap<number, string>,
  advance: Advance = () => undefined,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let seen = 0n;
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      // An empty partition has nothing to commit: its offset stays at -1.
      const offsets = committed.partitions.map(({ partition, offset }) => ({
        end: BigInt(ends.get(partition) ?? '0'),
        at: BigInt(offset) < 0n ? 0n : BigInt(offset),
      }));
      const total = offsets.reduce((sum, { at }) => sum + at, 0n);
      if (total > seen) advance(Number(total - seen));
      seen = total;
      if (offsets.every(({ end, at }) => end === 0n || at >= end)) return;
      await sleep(COMMIT_POLL_MS);
    }
  } finally {
    await admin.disconnect();
  }
}

/** Resolves once the group is stable with `members` members, each then holding its share of the partitions. */
export async function untilGroupHolds(kafka: Kafka, groupId: string, members: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (;;) {
      const {
        groups: [group],
      } = await admin.describeGroups([groupId]);
      if (group?.state === 'Stable' && group.members.length === members) return;
      await sleep(COMMIT_POLL_MS);
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads the whole topic with a bare consumer of a group of its own that does nothing with the records: how fast
 * the client and the broker deliver the input, joining the group included as for the projector.
 */
export async function readWholeTopic(
  kafka: Kafka,
  topic: string,
  total: number,
  advance: Advance,
): Promise<void> {
  const consumer = kafka.consumer({ groupId: uniqueName('bench-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      let read = 0;
      consumer
        .run({
          // Nothing committed, so the group vanishes with its member.
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            read += batch.messages.length;
            advance(batch.messages.length);
            if (read >= total) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Drops what a run left on the broker: its topics and the committed offsets of its consumer groups. */
export async function deleteTopicsAndGroups(
  kafka: Kafka,
  topics: string[],
  groupIds: string[],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (groupIds.length > 0) await admin.deleteGroups(groupIds);
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  } finally {
    await admin.disconnect();
  }
}
