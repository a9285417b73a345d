import { Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueName } from '../../test/support/infra';
import { cleanUpWithin } from './deadlines';
import { deleteTopicsAndGroups } from './kafka-log';

const CLEANUP_LIMIT_MS = 30_000;
/** Far longer than a change takes once its read has answered; a change not seen by then is left out. */
const ARRIVAL_GIVE_UP_MS = 10_000;

/**
 * When the projector's changes reach a consumer of the changes topic (a group of its own, as an SSE subscriber's):
 * the projector publishes a batch's changes once its views are written, before it records the applied position and
 * commits, so a change's arrival tells how much of a write's wait was the projector picking it up and projecting it.
 */
export class ChangeArrivals {
  private readonly waiting = new Map<string, (arrivedAt: bigint) => void>();
  /** Sessions with a change waited for. */
  private readonly sessions = new Set<string>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: ReturnType<Kafka['consumer']>,
    private readonly groupId: string,
  ) {}

  static async start(kafka: Kafka, changesTopic: string): Promise<ChangeArrivals> {
    const groupId = uniqueName('bench-changes');
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const arrivals = new ChangeArrivals(kafka, consumer, groupId);
    await consumer.connect();
    // From the start, so no change of the probes' is missed while the group forms; older ones match no probe.
    await consumer.subscribe({ topics: [changesTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const arrivedAt = process.hrtime.bigint();
        // Keyed by session: the background load's changes are passed over without parsing their views.
        if (!arrivals.sessions.has(message.key?.toString('utf8') ?? '')) return;
        const { session_id: sessionId, version } = JSON.parse(message.value!.toString('utf8')) as {
          session_id: string;
          version: number;
        };
        const key = `${sessionId}\n${version}`;
        arrivals.waiting.get(key)?.(arrivedAt);
        arrivals.waiting.delete(key);
      },
    });
    return arrivals;
  }

  /**
   * Resolves with the hrtime at which the change to `version` of the session arrives, or null if it has not
   * within ARRIVAL_GIVE_UP_MS; ask before the write.
   */
  arrival(sessionId: string, version: number): Promise<bigint | null> {
    const key = `${sessionId}\n${version}`;
    const arrived = new Promise<bigint>((resolve) => this.waiting.set(key, resolve));
    this.sessions.add(sessionId);
    return Promise.race([arrived, sleep(ARRIVAL_GIVE_UP_MS, null, { ref: false })]).finally(() => {
      this.waiting.delete(key);
      this.sessions.delete(sessionId);
    });
  }

  close(): Promise<void> {
    return cleanUpWithin(CLEANUP_LIMIT_MS, 'stopping the changes consumer', async () => {
      await this.consumer.disconnect();
      await deleteTopicsAndGroups(this.kafka, [], [this.groupId]);
    });
  }
}
