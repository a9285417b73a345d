import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SessionEvent, SessionProjection } from '@app/domain';
import { EventArchive, ViewGenerations, ViewStore } from '@app/ports';
import { archivedHistory, boundedFold } from '@app/projection';
import { archivedSessions } from './archive-sessions';
import { jsonDifferences } from './json-diff';
import { ProgressListener, ProgressTracker } from './progress';

export type VerifyScope =
  { kind: 'all' } | { kind: 'sample'; percent: number } | { kind: 'session'; sessionId: string };

export interface ViewMismatch {
  sessionId: string;
  differences: string[];
}

export interface VerifyReport {
  generation: string;
  sessionsChecked: number;
  mismatches: ViewMismatch[];
}

const COMPARE_BATCH = 500;

/**
 * Recomputes views from the archive with the projector's own fold and compares them with the stored ones. A
 * mismatch means the store was corrupted or the fold changed since the view was written; `rebuild` repairs both.
 */
@Injectable()
export class ViewVerifier {
  constructor(
    private readonly archive: EventArchive,
    private readonly generations: ViewGenerations,
  ) {}

  async verify(
    scope: VerifyScope,
    options: { pageSize?: number; onProgress?: ProgressListener } = {},
  ): Promise<VerifyReport> {
    const generation = await this.generations.active();
    const store = this.generations.store(generation);
    if (scope.kind === 'session') {
      const events = await archivedHistory(this.archive, scope.sessionId);
      const mismatches = await this.compare(store, [{ sessionId: scope.sessionId, events }]);
      return { generation, sessionsChecked: 1, mismatches };
    }

    const progress = new ProgressTracker('verify', await this.archive.count(), options.onProgress);
    const mismatches: ViewMismatch[] = [];
    let sessionsChecked = 0;
    let batch: { sessionId: string; events: SessionEvent[] }[] = [];
    const sessions = archivedSessions(this.archive, {
      pageSize: options.pageSize ?? 2000,
      onPage: (n) => progress.advance(n),
    });
    for await (const session of sessions) {
      if (scope.kind === 'sample' && !inSample(session.sessionId, scope.percent)) continue;
      batch.push(session);
      if (batch.length >= COMPARE_BATCH) {
        mismatches.push(...(await this.compare(store, batch)));
        sessionsChecked += batch.length;
        batch = [];
      }
    }
    mismatches.push(...(await this.compare(store, batch)));
    sessionsChecked += batch.length;
    return { generation, sessionsChecked, mismatches };
  }

  private async compare(
    store: ViewStore,
    sessions: { sessionId: string; events: SessionEvent[] }[],
  ): Promise<ViewMismatch[]> {
    if (sessions.length === 0) return [];
    const stored = await store.getMany(sessions.map((s) => s.sessionId));
    const mismatches: ViewMismatch[] = [];
    for (const { sessionId, events } of sessions) {
      const expected = boundedFold(undefined, events, store.maxDocumentBytes).projection;
      const differences = differencesOf(expected, stored.get(sessionId));
      if (differences.length > 0) mismatches.push({ sessionId, differences });
    }
    return mismatches;
  }
}

function differencesOf(
  expected: SessionProjection | undefined,
  actual: SessionProjection | undefined,
): string[] {
  if (!expected && !actual) return [];
  if (!actual) return ['the store has no view for this session'];
  if (!expected) return ['the archive has no applicable event for this stored view'];
  return jsonDifferences(expected, actual);
}

/** Deterministic, so a sample can be re-checked after a repair. */
function inSample(sessionId: string, percent: number): boolean {
  const bucket = createHash('sha1').update(sessionId).digest().readUInt32BE(0) % 10000;
  return bucket < percent * 100;
}
