import { DeadLetterReason } from '@app/ports';

/** What one batch did; the projector's metrics and logs are fed from it. */
export interface BatchReport {
  received: number;
  applied: number;
  duplicates: number;
  afterDelete: number;
  gaps: number;
  deadLettered: Record<DeadLetterReason, number>;
  versionConflicts: number;
  /** Sessions re-folded from the archive because a missing seq arrived after later ones. */
  lateRepairs: number;
  /** Writes refused because a rebuild's switch retired the generation under the batch, then made to the active one. */
  fencedWrites: number;
  sessionsWritten: number;
  changesPublished: number;
  durationSeconds: number;
}

export function emptyBatchReport(received: number): BatchReport {
  return {
    received,
    applied: 0,
    duplicates: 0,
    afterDelete: 0,
    gaps: 0,
    deadLettered: {
      [DeadLetterReason.InvalidEvent]: 0,
      [DeadLetterReason.FoldRejected]: 0,
      [DeadLetterReason.ArchiveConflict]: 0,
      [DeadLetterReason.ViewTooLarge]: 0,
    },
    versionConflicts: 0,
    lateRepairs: 0,
    fencedWrites: 0,
    sessionsWritten: 0,
    changesPublished: 0,
    durationSeconds: 0,
  };
}
