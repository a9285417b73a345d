import { Injectable } from '@nestjs/common';
import { SessionEvent } from '@app/domain';
import { EventArchive, ViewGenerations, ViewStore, ViewWrite } from '@app/ports';
import { boundedFold, foldIntoStore } from '@app/projection';
import { archivedSessions } from './archive-sessions';
import { ProgressListener, ProgressTracker } from './progress';

export interface RebuildOptions {
  /** Archived events per read. */
  pageSize?: number;
  /** Views per bulk write. */
  writeBatch?: number;
  /** archived_at is stamped by whichever process archived the event; this margin absorbs clock skew between hosts. */
  clockSkewMs?: number;
  onProgress?: ProgressListener;
}

export interface RebuildResult {
  generation: string;
  previous: string;
  events: number;
  sessions: number;
  /** Events folded by the catch-up after the switch (most are duplicates the scan already applied). */
  caughtUpEvents: number;
}

export class RebuildConflictError extends Error {
  constructor(generation: string, sessionIds: string[]) {
    super(
      `generation ${generation} was written by someone else during the rebuild (sessions ${sessionIds.slice(0, 5).join(', ')})`,
    );
    this.name = RebuildConflictError.name;
  }
}

/**
 * Rebuilds every view from the archive into a fresh generation while the active one keeps serving, then switches
 * the pointer in one write. Readers see the old views until the switch and the new ones after it, never an empty
 * or half-built generation. The old generation is kept for rollback (`activate` it again) until dropped.
 */
@Injectable()
export class ViewRebuilder {
  constructor(
    private readonly archive: EventArchive,
    private readonly generations: ViewGenerations,
  ) {}

  async rebuild(options: RebuildOptions = {}): Promise<RebuildResult> {
    const { pageSize = 2000, writeBatch = 500, clockSkewMs = 60_000, onProgress } = options;
    const scanStartedAt = new Date();
    const generation = await this.generations.create();
    const store = this.generations.store(generation);
    const progress = new ProgressTracker('rebuild', await this.archive.count(), onProgress);

    let events = 0;
    let sessions = 0;
    let pending: ViewWrite[] = [];
    for await (const session of archivedSessions(this.archive, {
      pageSize,
      onPage: (n) => progress.advance(n),
    })) {
      events += session.events.length;
      const { projection } = boundedFold(undefined, session.events, store.maxDocumentBytes);
      if (!projection) continue;
      sessions += 1;
      pending.push({ projection, expectedVersion: null });
      if (pending.length >= writeBatch) {
        await this.writeFresh(generation, store, pending);
        pending = [];
      }
    }
    await this.writeFresh(generation, store, pending);

    // The switch retires the previous generation: from here on its store refuses writes, and a projector batch that
    // read the old pointer re-applies itself to this generation. What the projector wrote before the switch was
    // archived before it too, so one catch-up after the switch folds whatever the scan missed. No pause is needed.
    const previous = await this.generations.activate(generation);
    const since = new Date(scanStartedAt.getTime() - clockSkewMs);
    const caughtUpEvents = await this.catchUp(store, since, pageSize, writeBatch);
    return { generation, previous, events, sessions, caughtUpEvents };
  }

  private async writeFresh(generation: string, store: ViewStore, writes: ViewWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const { conflicts } = await store.writeMany(writes);
    if (conflicts.length > 0) throw new RebuildConflictError(generation, conflicts);
  }

  /** Folds events archived since `since` onto the new generation; the fold skips what the scan already applied. */
  private async catchUp(
    store: ViewStore,
    since: Date,
    pageSize: number,
    writeBatch: number,
  ): Promise<number> {
    let events = 0;
    let batch = new Map<string, SessionEvent[]>();
    for await (const session of archivedSessions(this.archive, { pageSize, archivedSince: since })) {
      events += session.events.length;
      batch.set(session.sessionId, session.events);
      if (batch.size >= writeBatch) {
        await foldCaughtUp(store, batch);
        batch = new Map();
      }
    }
    if (batch.size > 0) await foldCaughtUp(store, batch);
    return events;
  }
}

/** The rebuild folds whole histories: a fold that throws on one is a failed rebuild, never a silently missing view. */
async function foldCaughtUp(store: ViewStore, batch: Map<string, SessionEvent[]>): Promise<void> {
  const { failures } = await foldIntoStore(store, batch);
  for (const [sessionId, error] of failures) {
    throw new Error(`folding session ${sessionId} failed during the catch-up: ${error.message}`);
  }
}
