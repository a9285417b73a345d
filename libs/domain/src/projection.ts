import { SessionView } from './session-view';

/** A SessionView plus the fold's bookkeeping, which lives beside the seed's fields, never inside them. */
export interface SessionProjection {
  session_id: string;
  /** seq of the last applied event. */
  version: number;
  deleted: boolean;
  gaps: SeqGap[];
  last_event_id: string;
  view: SessionView;
}

/** An event applied although earlier seqs never arrived; kept so the hole is visible, not silent. */
export interface SeqGap {
  expected_seq: number;
  received_seq: number;
  event_id: string;
}

export const FOLD_REJECTION_REASONS = ['session_not_created', 'already_created', 'session_mismatch'] as const;
export type FoldRejectionReason = (typeof FOLD_REJECTION_REASONS)[number];

export type FoldOutcome =
  | { kind: 'applied'; projection: SessionProjection }
  | { kind: 'duplicate' }
  /**
   * A seq the projection recorded as missing, arriving after later events were applied. The fold cannot apply it in
   * place; whoever holds the session's history re-folds it in seq order.
   */
  | { kind: 'late' }
  | { kind: 'after_delete' }
  | { kind: 'rejected'; reason: FoldRejectionReason; message: string };

export interface FoldRejection {
  event_id: string;
  reason: FoldRejectionReason;
  message: string;
}

export interface FoldResult {
  projection: SessionProjection | undefined;
  applied: number;
  duplicates: number;
  /** Events that arrived after the session's tombstone and changed nothing. */
  after_delete: number;
  /** Events that filled a recorded gap after later events (see FoldOutcome 'late'). */
  late: number;
  /** Gaps recorded by this fold (the projection's `gaps` also holds earlier ones). */
  gaps: number;
  rejected: FoldRejection[];
}
