import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { BatchReport } from './batch-report';

/** Prometheus series for the projector, fed once per batch from its report. */
@Injectable()
export class ProjectorMetrics {
  private readonly applied: Counter;
  private readonly duplicates: Counter;
  private readonly afterDelete: Counter;
  private readonly gaps: Counter;
  private readonly deadLettered: Counter<'reason'>;
  private readonly versionConflicts: Counter;
  private readonly lateRepairs: Counter;
  private readonly batchSize: Histogram;
  private readonly batchDuration: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.applied = new Counter({
      name: 'projector_events_applied_total',
      help: 'Events folded into a view',
      registers,
    });
    this.duplicates = new Counter({
      name: 'projector_events_duplicate_total',
      help: 'Events skipped because the view already holds their seq',
      registers,
    });
    this.afterDelete = new Counter({
      name: 'projector_events_after_delete_total',
      help: 'Events that arrived after their session was deleted and changed nothing',
      registers,
    });
    this.gaps = new Counter({
      name: 'projector_seq_gaps_total',
      help: 'Events applied although earlier seqs of their session never arrived',
      registers,
    });
    this.deadLettered = new Counter({
      name: 'projector_events_dead_lettered_total',
      help: 'Records sent to the dead-letter destination, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.versionConflicts = new Counter({
      name: 'projector_version_conflicts_total',
      help: 'View writes refused because the stored version moved; re-read and re-folded',
      registers,
    });
    this.lateRepairs = new Counter({
      name: 'projector_late_repairs_total',
      help: 'Sessions re-folded from the archive because a missing seq arrived after later ones',
      registers,
    });
    this.batchSize = new Histogram({
      name: 'projector_batch_size',
      help: 'Records per batch',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'projector_batch_duration_seconds',
      help: 'Time to project one batch, from decode to acknowledged writes',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  record(report: BatchReport): void {
    this.applied.inc(report.applied);
    this.duplicates.inc(report.duplicates);
    this.afterDelete.inc(report.afterDelete);
    this.gaps.inc(report.gaps);
    for (const [reason, count] of Object.entries(report.deadLettered)) {
      if (count > 0) this.deadLettered.inc({ reason }, count);
    }
    this.versionConflicts.inc(report.versionConflicts);
    this.lateRepairs.inc(report.lateRepairs);
    this.batchSize.observe(report.received);
    this.batchDuration.observe(report.durationSeconds);
  }
}
