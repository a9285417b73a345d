import {
  AppliedPositions,
  ChangeFeed,
  DeadLetter,
  DeadLetterReason,
  DeadLetterSink,
  EventArchive,
  positionAfter,
  StoredDeadLetter,
  ViewGenerations,
} from '@app/ports';
import { emptyBatchReport, ProjectionEngine, ProjectorMetrics } from '@app/projection';
import { ProgressListener, ProgressTracker } from '@app/replay';
import { EventLogReader, LogStart } from './event-log-reader';
import { RecoveryMetrics } from './recovery-metrics';

export interface ReprojectReport {
  records: number;
  applied: number;
  duplicates: number;
  lateRepairs: number;
  /** Records the projector had dead-lettered already; their letters are not written a second time. */
  deadLettered: Record<DeadLetterReason, number>;
}

/** Slices handed to the engine, as the projector's own batches. */
const DEFAULT_SLICE = 500;

/**
 * Re-projects the event log into the archive and the views from its start or from an instant, beside the live
 * projector: it reads the log directly (no consumer group), and the engine it drives is idempotent (the archive
 * keeps one copy of an event, the fold skips seqs a view holds, a seq that arrives late re-folds its session, view
 * writes are version-guarded against the live projector's). Run it after a store loss or a restore, then verify.
 * It records what it applied as the projector does, so reads waiting for a position the restored store lost are
 * answered once the re-projection has passed it.
 */
export class LogReprojector {
  private readonly engine: ProjectionEngine;
  private readonly skipped = new SkippedDeadLetters();

  constructor(
    private readonly log: EventLogReader,
    archive: EventArchive,
    generations: ViewGenerations,
    changes: ChangeFeed,
    private readonly applied: AppliedPositions,
    projectorMetrics: ProjectorMetrics,
    private readonly metrics: RecoveryMetrics,
  ) {
    // Every record of the log also reaches the live projector, which dead-letters what fails; writing those letters
    // again from here would only copy them.
    this.engine = new ProjectionEngine(archive, generations, changes, this.skipped, projectorMetrics);
  }

  async reproject(
    start: LogStart,
    options: { sliceSize?: number; onProgress?: ProgressListener } = {},
  ): Promise<ReprojectReport> {
    const sliceSize = options.sliceSize ?? DEFAULT_SLICE;
    const progress = new ProgressTracker('re-project', await this.log.size(start), options.onProgress);
    const total = emptyBatchReport(0);
    await this.log.read(start, async (records) => {
      for (let first = 0; first < records.length; first += sliceSize) {
        const slice = records.slice(first, first + sliceSize);
        const report = await this.engine.process(slice);
        await this.applied.record(positionAfter(slice));
        total.received += report.received;
        total.applied += report.applied;
        total.duplicates += report.duplicates;
        total.lateRepairs += report.lateRepairs;
        for (const reason of Object.values(DeadLetterReason))
          total.deadLettered[reason] += report.deadLettered[reason];
        this.metrics.reprojectedRecords(slice.length);
        progress.advance(slice.length);
      }
    });
    return {
      records: total.received,
      applied: total.applied,
      duplicates: total.duplicates,
      lateRepairs: total.lateRepairs,
      deadLettered: total.deadLettered,
    };
  }
}

/** A sink that keeps nothing: the letters of a re-projection exist already where the live projector put them. */
class SkippedDeadLetters extends DeadLetterSink {
  async send(_letters: readonly DeadLetter[]): Promise<void> {}
  async list(): Promise<StoredDeadLetter[]> {
    return [];
  }
  async show(): Promise<StoredDeadLetter | undefined> {
    return undefined;
  }
  async markRedriven(): Promise<void> {}
}
