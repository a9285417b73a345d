import { Injectable, Logger } from '@nestjs/common';
import { assertNever, canonicalJson, parseSessionEventJson, SessionEvent } from '@app/domain';
import {
  ArchiveConflict,
  ChangeFeed,
  DeadLetter,
  DeadLetterReason,
  DeadLetterSink,
  EventArchive,
  LogRecord,
  positionAfter,
  ViewChange,
  ViewGenerations,
  viewChangeOf,
  ViewStore,
  ViewWrite,
} from '@app/ports';
import { ActiveViews, readActiveViews, writeToActiveGeneration } from './active-generation';
import { BatchReport, emptyBatchReport } from './batch-report';
import { foldArchivedSession } from './archived-fold';
import { foldIntoStore, groupBySession, StoredFold, VersionConflictsExhaustedError } from './fold-into-store';
import { ProjectorMetrics } from './projector-metrics';

interface DecodedEvent {
  event: SessionEvent;
  record: LogRecord;
}

/** A record of a log that is itself the archive; `validated` when its row names this build's event rules. */
export interface ArchivedRecord {
  record: LogRecord;
  validated: boolean;
}

/** What one batch accumulates from start to end. */
interface Batch {
  startedAt: bigint;
  report: BatchReport;
  deadLetters: DeadLetter[];
}

function startBatch(received: number): Batch {
  return { startedAt: process.hrtime.bigint(), report: emptyBatchReport(received), deadLetters: [] };
}

/**
 * Projects one batch of raw log records into the views: the same code path for the Kafka consumer and the embedded
 * SQLite tailer. It resolves only once the archive, the views, the change feed and the dead letters have all
 * acknowledged their writes, so the caller may then commit its position; any failure throws and commits nothing.
 * Redelivery is safe: the archive is idempotent and the fold skips seqs the view already holds.
 */
@Injectable()
export class ProjectionEngine {
  private readonly logger = new Logger(ProjectionEngine.name);

  constructor(
    private readonly archive: EventArchive,
    private readonly generations: ViewGenerations,
    private readonly changes: ChangeFeed,
    private readonly deadLetterSink: DeadLetterSink,
    private readonly metrics: ProjectorMetrics,
  ) {}

  async process(records: readonly LogRecord[]): Promise<BatchReport> {
    const batch = startBatch(records.length);
    const decoded = this.decode(records, batch.deadLetters);
    // The views are read while the archive writes; the fold still takes only the events the archive kept.
    const [archived, readAhead] = await bothSettled(
      this.archiveEvents(decoded, batch.deadLetters),
      this.readViewsOf(decoded),
    );
    return this.project(batch, archived, readAhead);
  }

  /**
   * Projects records read from a log that is itself the archive (the embedded `events` table, see
   * SqliteEventArchive): archiving them again would only find each one there, so they are not. A record marked
   * `validated` was stored by this build's append after parseSessionEvent accepted it, which the table records, and
   * is taken as it is; any other (written by another build, or into the file by anything else) is decoded and
   * checked as `process` does.
   */
  async processArchived(records: readonly ArchivedRecord[]): Promise<BatchReport> {
    const batch = startBatch(records.length);
    const decoded: DecodedEvent[] = [];
    for (const { record, validated } of records) {
      const event = validated ? parseValidated(record) : undefined;
      const item = event ? { event, record } : this.decodeOne(record, batch.deadLetters);
      if (item) decoded.push(item);
    }
    return this.project(batch, decoded, await this.readViewsOf(decoded));
  }

  private readViewsOf(decoded: readonly DecodedEvent[]): Promise<ActiveViews> {
    return readActiveViews(this.generations, [...new Set(decoded.map(({ event }) => event.session_id))]);
  }

  /** Folds the archived events into the views, then publishes the changes and sends the dead letters. */
  private async project(
    { startedAt, report, deadLetters }: Batch,
    archived: DecodedEvent[],
    readAhead: ActiveViews,
  ): Promise<BatchReport> {
    // Kafka keeps a session's events in emission order; sorting by seq heals an emitter that sent a batch out of order.
    const eventsBySession = new Map(
      [...groupBySession(archived, ({ event }) => event)].map(([id, items]) => [
        id,
        items.map(({ event }) => event),
      ]),
    );
    const byEventId = new Map(archived.map((item) => [item.event.event_id, item]));

    const { store, folds, versionConflicts, failures, lateRepairs } = await writeToActiveGeneration(
      this.generations,
      async (store, views) => {
        const folded = await foldIntoStore(store, eventsBySession, views);
        return { store, ...folded, lateRepairs: await this.refoldLateSessions(store, folded.folds) };
      },
      (retired) => {
        report.fencedWrites += 1;
        this.logger.log(
          `${retired} was retired by a switch under this batch; writing it to the active generation`,
        );
      },
      readAhead,
    );
    report.versionConflicts = versionConflicts;
    report.lateRepairs = lateRepairs;
    for (const [sessionId, error] of failures) {
      const detail = `the fold threw on this session's events of the batch: ${error.message}`;
      for (const event of eventsBySession.get(sessionId)!) {
        deadLetters.push(
          deadLetter(byEventId.get(event.event_id)!.record, DeadLetterReason.FoldRejected, detail, event),
        );
      }
    }

    const changes: ViewChange[] = [];
    for (const fold of folds.values()) {
      report.applied += fold.applied;
      report.duplicates += fold.duplicates;
      report.afterDelete += fold.afterDelete;
      report.gaps += fold.gaps;
      if (fold.applied > 0 || fold.late > 0) report.sessionsWritten += 1;
      for (const rejection of fold.rejected) {
        const { event, record } = byEventId.get(rejection.event_id)!;
        const detail = `${rejection.reason}: ${rejection.message}`;
        deadLetters.push(deadLetter(record, DeadLetterReason.FoldRejected, detail, event));
      }
      for (const { event, bytes } of fold.oversized) {
        const detail = `applying seq ${event.seq} makes the view ${bytes} bytes, over the store's limit of ${store.maxDocumentBytes}`;
        deadLetters.push(
          deadLetter(byEventId.get(event.event_id)!.record, DeadLetterReason.ViewTooLarge, detail, event),
        );
      }
      // A redelivered batch folds to duplicates only; publishing again is what guarantees the change reaches the
      // feed when the first attempt crashed between the view write and the publish. Consumers order by version.
      if (fold.projection && fold.applied + fold.duplicates + fold.late > 0) {
        const records = eventsBySession
          .get(fold.projection.session_id)!
          .map(({ event_id }) => byEventId.get(event_id)!.record);
        changes.push(viewChangeOf(fold.projection, positionAfter(records)));
      }
    }

    if (changes.length > 0) await this.changes.publish(changes);
    report.changesPublished = changes.length;
    if (deadLetters.length > 0) await this.deadLetterSink.send(deadLetters);
    for (const letter of deadLetters) report.deadLettered[letter.reason] += 1;

    report.durationSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    this.metrics.record(report);
    if (report.gaps > 0)
      this.logger.warn(`${report.gaps} event(s) applied over a seq gap; see the views' gaps`);
    return report;
  }

  /**
   * A seq that arrives after later ones of its session cannot be applied in place. The archive already holds it, so
   * the session is re-folded from its history in seq order, exactly as a rebuild would, and the view written over
   * the version just read. A concurrent writer makes the batch fail and be redelivered, which repeats the repair.
   */
  private async refoldLateSessions(store: ViewStore, folds: Map<string, StoredFold>): Promise<number> {
    const late = [...folds].filter(([, fold]) => fold.late > 0 && fold.projection !== undefined);
    if (late.length === 0) return 0;
    const writes: ViewWrite[] = [];
    for (const [sessionId, fold] of late) {
      const repaired = await foldArchivedSession(this.archive, sessionId, store.maxDocumentBytes);
      writes.push({ projection: repaired!, expectedVersion: fold.projection!.version });
      fold.projection = repaired;
    }
    const { conflicts } = await store.writeMany(writes);
    if (conflicts.length > 0) throw new VersionConflictsExhaustedError(conflicts);
    this.logger.warn(`re-folded ${late.length} session(s) from the archive after a missing seq arrived late`);
    return late.length;
  }

  private decode(records: readonly LogRecord[], deadLetters: DeadLetter[]): DecodedEvent[] {
    const decoded: DecodedEvent[] = [];
    for (const record of records) {
      const item = this.decodeOne(record, deadLetters);
      if (item) decoded.push(item);
    }
    return decoded;
  }

  /** The record's event, or undefined once it has been dead-lettered as invalid. */
  private decodeOne(record: LogRecord, deadLetters: DeadLetter[]): DecodedEvent | undefined {
    const parsed = decodeTotally(record);
    if (!parsed.ok) {
      const detail = parsed.errors.map((error) => `${error.path || '(record)'}: ${error.message}`).join('; ');
      deadLetters.push(deadLetter(record, DeadLetterReason.InvalidEvent, detail));
      return undefined;
    }
    if (record.key !== null && record.key !== parsed.event.session_id) {
      // Per-session ordering rests on the partition key; an event keyed elsewhere may overtake its predecessors.
      const detail = `record key ${JSON.stringify(record.key)} differs from session_id ${JSON.stringify(parsed.event.session_id)}`;
      deadLetters.push(deadLetter(record, DeadLetterReason.InvalidEvent, detail, parsed.event));
      return undefined;
    }
    return { event: parsed.event, record };
  }

  /** Archives first: an event that cannot be kept as history must not shape a view. */
  private async archiveEvents(decoded: DecodedEvent[], deadLetters: DeadLetter[]): Promise<DecodedEvent[]> {
    if (decoded.length === 0) return decoded;
    const result = await this.archive.append(decoded.map(({ event }) => event));
    if (result.conflicts.length === 0) return decoded;

    // Keyed by content: a batch may carry an event and a different one under the same id and seq, and only the
    // refused one may leave.
    const refused = new Map(result.conflicts.map((conflict) => [canonicalJson(conflict.event), conflict]));
    return decoded.filter(({ event, record }) => {
      const conflict = refused.get(canonicalJson(event));
      if (!conflict) return true;
      deadLetters.push(
        deadLetter(record, DeadLetterReason.ArchiveConflict, archiveConflictDetail(conflict), event),
      );
      return false;
    });
  }
}

/** A validated record's event as stored; undefined if its bytes do not parse, which full decoding then reports. */
function parseValidated(record: LogRecord): SessionEvent | undefined {
  try {
    return JSON.parse(record.value.toString('utf8')) as SessionEvent;
  } catch {
    return undefined;
  }
}

/** Both outcomes, once both have settled: a failure of one never leaves the other running unobserved. */
async function bothSettled<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/**
 * Parsing is total by contract; should it throw all the same, the record is an invalid event like any other, never
 * a failed batch that the partition would redeliver forever.
 */
function decodeTotally(record: LogRecord): ReturnType<typeof parseSessionEventJson> {
  try {
    return parseSessionEventJson(record.value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ path: '', message: `decoding threw: ${message}` }] };
  }
}

function archiveConflictDetail({ event, reason, existingEventId }: ArchiveConflict): string {
  switch (reason) {
    case 'seq_taken':
      return `seq ${event.seq} of session ${event.session_id} is already held by event ${existingEventId}`;
    case 'event_id_taken':
      return `event_id is already held by event ${existingEventId} at another session or seq`;
    case 'content_differs':
      return `event ${existingEventId} at seq ${event.seq} of session ${event.session_id} is archived with different content`;
    default:
      return assertNever(reason);
  }
}

function deadLetter(
  record: LogRecord,
  reason: DeadLetterReason,
  detail: string,
  event?: SessionEvent,
): DeadLetter {
  return {
    payload: record.value,
    key: record.key,
    reason,
    detail,
    source: record.source,
    sessionId: event?.session_id,
    eventId: event?.event_id,
  };
}
