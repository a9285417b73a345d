import { SessionEvent, SessionProjection } from '@app/domain';
import { ViewStore, ViewWrite } from '@app/ports';
import { BoundedFold, boundedFold } from './bounded-fold';

/** A version conflict means another writer moved the view; past this many re-folds something is wrong. */
export const MAX_CONFLICT_ROUNDS = 5;

export class VersionConflictsExhaustedError extends Error {
  constructor(readonly sessionIds: string[]) {
    super(
      `views of ${sessionIds.length} session(s) kept changing under the projector after ${MAX_CONFLICT_ROUNDS} re-folds: ${sessionIds.slice(0, 5).join(', ')}`,
    );
    this.name = VersionConflictsExhaustedError.name;
  }
}

export interface StoredFold extends BoundedFold {
  /** The projection the fold started from, as read from the store. */
  stored: SessionProjection | undefined;
}

export interface FoldIntoStoreResult {
  folds: Map<string, StoredFold>;
  versionConflicts: number;
  /** Sessions whose fold threw (a bug, or a stored view the fold cannot read): nothing was written for them. */
  failures: Map<string, Error>;
}

/**
 * Folds each session's events onto its stored projection and writes every changed view in one bulk write guarded by
 * the version it read. Sessions whose view moved meanwhile are re-read and re-folded, never overwritten.
 * `eventsBySession` must hold each session's events in seq order. `readAhead`, the sessions' views already read
 * from `store` (a session without one absent), stands for the first read; the version guard covers its age.
 */
export async function foldIntoStore(
  store: ViewStore,
  eventsBySession: ReadonlyMap<string, readonly SessionEvent[]>,
  readAhead?: ReadonlyMap<string, SessionProjection>,
): Promise<FoldIntoStoreResult> {
  const folds = new Map<string, StoredFold>();
  const failures = new Map<string, Error>();
  let versionConflicts = 0;
  let pending = [...eventsBySession.keys()];
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === MAX_CONFLICT_ROUNDS) throw new VersionConflictsExhaustedError(pending);
    const storedViews = round === 0 && readAhead ? readAhead : await store.getMany(pending);
    const attempt = new Map<string, StoredFold>();
    const writes: ViewWrite[] = [];
    for (const sessionId of pending) {
      const stored = storedViews.get(sessionId);
      let fold: StoredFold;
      try {
        fold = { stored, ...boundedFold(stored, eventsBySession.get(sessionId)!, store.maxDocumentBytes) };
      } catch (error) {
        // One session's failure must not hold back the others, nor block its partition by failing every retry.
        failures.set(sessionId, error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      attempt.set(sessionId, fold);
      if (fold.applied > 0) {
        writes.push({
          projection: fold.projection!,
          expectedVersion: stored?.version ?? null,
          projectionJson: fold.projectionJson,
        });
      }
    }
    const { conflicts } = writes.length > 0 ? await store.writeMany(writes) : { conflicts: [] };
    versionConflicts += conflicts.length;
    const conflicted = new Set(conflicts);
    for (const [sessionId, fold] of attempt) if (!conflicted.has(sessionId)) folds.set(sessionId, fold);
    pending = conflicts;
  }
  return { folds, versionConflicts, failures };
}

/** Groups events by session, each session's events sorted by seq (stable for equal seqs). */
export function groupBySession<T>(items: readonly T[], eventOf: (item: T) => SessionEvent): Map<string, T[]> {
  const bySession = new Map<string, T[]>();
  for (const item of items) {
    const sessionId = eventOf(item).session_id;
    const list = bySession.get(sessionId);
    if (list) list.push(item);
    else bySession.set(sessionId, [item]);
  }
  for (const list of bySession.values()) list.sort((a, b) => eventOf(a).seq - eventOf(b).seq);
  return bySession;
}
