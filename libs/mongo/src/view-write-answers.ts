import type { ViewWrite } from '@app/ports';
import type { ViewDocument } from './view-document';

/** What a re-read tells about one view write: the version stored now and which call wrote it. */
export type StoredGuard = Pick<ViewDocument, '_id' | 'version' | 'write_token'>;

export interface ViewWriteAnswers {
  written: number;
  conflicts: string[];
  unattempted: ViewWrite[];
}

/**
 * A document carrying this call's token was written by it; one still at the expected version (or still absent,
 * for an insert) was never attempted, because an attempted guarded write would have matched it; anything else
 * moved under the writer and is a conflict.
 */
export function answerViewWrites(
  writes: readonly ViewWrite[],
  stored: readonly StoredGuard[],
  token: string,
): ViewWriteAnswers {
  const guards = new Map(stored.map((guard) => [guard._id, guard]));
  const answers: ViewWriteAnswers = { written: 0, conflicts: [], unattempted: [] };
  for (const write of writes) {
    const sessionId = write.projection.session_id;
    const guard = guards.get(sessionId);
    if (guard?.write_token === token) answers.written += 1;
    else if ((guard?.version ?? null) === write.expectedVersion) answers.unattempted.push(write);
    else answers.conflicts.push(sessionId);
  }
  return answers;
}
