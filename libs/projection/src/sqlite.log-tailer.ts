import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { positionAfter } from '@app/ports';
import { LoggedEvent, SqliteAppliedPositions, SqliteDatabase, SqliteEventLog } from '@app/sqlite';
import { ArchivedRecord, ProjectionEngine } from './projection-engine';
import { ProjectorRunner } from './projector-runner';

/** Dead letters name the table they came from, as Kafka ones name their topic. */
const SOURCE_TOPIC = 'events';
/** A fallback for appends this process was not told about (another process writing the same file). */
const IDLE_POLL_MS = 1000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * The embedded projector. It reads the events after its stored position, has the ProjectionEngine project them,
 * and stores the new position in the same SQLite transaction as every write the engine made (views, changes, dead
 * letters): a crash at any instant leaves either all of a batch's effects with its position, or none of them, so
 * no event is lost and none is applied twice.
 */
@Injectable()
export class SqliteLogTailer extends ProjectorRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SqliteLogTailer.name);
  private readonly batchSize: number;
  private running: Promise<void> | null = null;
  private stopping = false;
  private appendedSinceRead = false;
  private wake: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly log: SqliteEventLog,
    private readonly engine: ProjectionEngine,
    private readonly applied: SqliteAppliedPositions,
    private readonly config: AppConfig,
  ) {
    super();
    this.batchSize = config.projectorBatchSize;
  }

  /** The tailer retries every failure itself (the store stays up to say why); it never stops for good. */
  readonly failure: Promise<Error> = new Promise(() => undefined);

  describe(): string {
    return `the events table of ${this.config.dataDir}`;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.unsubscribe = this.log.onAppended(() => {
      this.appendedSinceRead = true;
      this.wake?.();
    });
    this.running = this.run();
  }

  /** Finishes the batch in flight, if any, and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.running;
    this.running = null;
  }

  /** Projects the next batch after the stored position; resolves with its size, 0 once caught up. */
  async projectNextBatch(): Promise<number> {
    this.appendedSinceRead = false;
    return this.database.runInTransaction(async () => {
      const events = this.log.readAfter(this.storedPosition(), this.batchSize);
      if (events.length === 0) return 0;
      // The log is the embedded archive, and rows this build's append stored are taken as validated (see
      // ProjectionEngine.processArchived and insertEvents).
      const records = events.map(toArchivedRecord);
      await this.engine.processArchived(records);
      await this.applied.record(positionAfter(records.map(({ record }) => record)));
      return events.length;
    });
  }

  /** The position of the last event projected, 0 before the first batch. */
  storedPosition(): number {
    return this.applied.lastProjectedRow();
  }

  private async run(): Promise<void> {
    let retryMs = FIRST_RETRY_MS;
    while (!this.stopping) {
      try {
        const projected = await this.projectNextBatch();
        retryMs = FIRST_RETRY_MS;
        if (projected < this.batchSize) await this.idle(IDLE_POLL_MS);
      } catch (error) {
        this.logger.error(
          `projecting a batch failed; nothing of it was committed, retrying in ${retryMs} ms: ${(error as Error).stack ?? error}`,
        );
        await this.idle(retryMs, { ignoreAppends: true });
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      }
    }
  }

  /** Waits for an append, a stop or `ms`, whichever comes first; returns at once if an append already came. */
  private async idle(ms: number, options: { ignoreAppends?: boolean } = {}): Promise<void> {
    if (this.stopping || (this.appendedSinceRead && !options.ignoreAppends)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        if (options.ignoreAppends && !this.stopping) return;
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }
}

function toArchivedRecord(event: LoggedEvent): ArchivedRecord {
  return {
    record: {
      key: event.sessionId,
      value: event.payload,
      source: { topic: SOURCE_TOPIC, offset: String(event.position) },
    },
    validated: event.validated,
  };
}
