import { FoldRejection, foldEvents, SessionEvent, SessionProjection } from '@app/domain';

export interface OversizedEvent {
  event: SessionEvent;
  bytes: number;
}

/** A fold that never produces a projection the store could not hold. */
export interface BoundedFold {
  projection: SessionProjection | undefined;
  applied: number;
  duplicates: number;
  afterDelete: number;
  late: number;
  gaps: number;
  rejected: FoldRejection[];
  /** Events left out because applying them would have made the view larger than the store accepts. */
  oversized: OversizedEvent[];
  /**
   * `JSON.stringify(projection)`, when measuring the size produced it: a store that keeps the text writes this
   * instead of serialising the projection a second time.
   */
  projectionJson?: string;
}

export function projectionBytes(projection: SessionProjection): number {
  return Buffer.byteLength(JSON.stringify(projection), 'utf8');
}

/**
 * The domain fold plus the store's document size limit. The live projector, rebuild, verification and time travel
 * all fold through here, so an event the projector left out for size is left out everywhere alike.
 * Measuring a view means serialising it, so the size is checked once for the whole run of events and only a run
 * that overflows is refolded event by event to find the culprits.
 */
export function boundedFold(
  stored: SessionProjection | undefined,
  events: readonly SessionEvent[],
  maxDocumentBytes: number,
): BoundedFold {
  const whole = foldEvents(stored, events);
  const json = whole.projection && whole.applied > 0 ? JSON.stringify(whole.projection) : undefined;
  if (json === undefined || Buffer.byteLength(json, 'utf8') <= maxDocumentBytes) {
    return {
      projection: whole.projection,
      applied: whole.applied,
      duplicates: whole.duplicates,
      afterDelete: whole.after_delete,
      late: whole.late,
      gaps: whole.gaps,
      rejected: whole.rejected,
      oversized: [],
      projectionJson: json,
    };
  }

  const fold: BoundedFold = {
    projection: stored,
    applied: 0,
    duplicates: 0,
    afterDelete: 0,
    late: 0,
    gaps: 0,
    rejected: [],
    oversized: [],
  };
  for (const event of events) {
    const step = foldEvents(fold.projection, [event]);
    if (step.applied > 0) {
      const bytes = projectionBytes(step.projection!);
      if (bytes > maxDocumentBytes) {
        fold.oversized.push({ event, bytes });
        continue;
      }
    }
    fold.projection = step.projection;
    fold.applied += step.applied;
    fold.duplicates += step.duplicates;
    fold.afterDelete += step.after_delete;
    fold.late += step.late;
    fold.gaps += step.gaps;
    fold.rejected.push(...step.rejected);
  }
  return fold;
}
