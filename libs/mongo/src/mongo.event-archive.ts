import type { SessionEvent } from '@app/domain';
import {
  ArchiveAppendResult,
  ArchiveConflict,
  ArchiveScanOptions,
  ArchiveScanPage,
  EventArchive,
  HistoryRange,
} from '@app/ports';
import { Collection, Db, Filter } from 'mongodb';
import { ARCHIVE_INDEXES, ArchiveDocument, fromArchiveDocument, toArchiveDocument } from './archive-document';
import { instantKey } from './instant-key';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';
import { decodeScanCursor, encodeScanCursor } from './scan-cursor';
import { unorderedBulkWrite } from './unordered-bulk-write';

const ARCHIVE_COLLECTION = 'session_events';
const SEQ_ORDER = { session_id: 1, seq: 1 } as const;

type Holder = Pick<ArchiveDocument, '_id' | 'session_id' | 'seq'>;

export class MongoEventArchive extends EventArchive {
  private constructor(private readonly events: Collection<ArchiveDocument>) {
    super();
  }

  /** The archive with its unique indexes in place: appends rely on them to refuse a second event at a seq. */
  static async open(db: Db): Promise<MongoEventArchive> {
    const events = db.collection<ArchiveDocument>(ARCHIVE_COLLECTION);
    await events.createIndexes(ARCHIVE_INDEXES);
    return new MongoEventArchive(events);
  }

  /**
   * One bulk insert. When some inserts hit a unique index, the holders of every pending event_id and
   * (session_id, seq) are read back: the same event already there is a duplicate (including the ones this very
   * call inserted, which the insert count tells apart), another event there is a conflict, and an event with no
   * holder was never attempted (FerretDB stops at the first failure) and is sent again.
   */
  async append(events: readonly SessionEvent[]): Promise<ArchiveAppendResult> {
    const archivedAt = new Date();
    const result: ArchiveAppendResult = { stored: 0, duplicates: 0, conflicts: [] };
    let pending = events;
    while (pending.length > 0) {
      const { inserted } = await unorderedBulkWrite(
        this.events,
        pending.map((event) => ({ insertOne: { document: toArchiveDocument(event, archivedAt) } })),
      );
      result.stored += inserted;
      if (inserted === pending.length) return result;

      const holders = new Holders(await this.holdersOf(pending));
      const unattempted: SessionEvent[] = [];
      let alreadyHeld = 0;
      for (const event of pending) {
        const outcome = holders.classify(event);
        if (outcome === 'held') alreadyHeld += 1;
        else if (outcome === 'absent') unattempted.push(event);
        else result.conflicts.push(outcome);
      }
      result.duplicates += alreadyHeld - inserted;
      if (unattempted.length === pending.length) {
        throw new MongoStoreError(
          MongoStoreErrorCode.WriteWithoutProgress,
          `a bulk insert of ${pending.length} event(s) stored none and reported no conflict`,
        );
      }
      pending = unattempted;
    }
    return result;
  }

  async history(sessionId: string, range: HistoryRange): Promise<SessionEvent[]> {
    if (range.limit <= 0) return [];
    const filter: Filter<ArchiveDocument> = { session_id: sessionId };
    if (range.afterSeq !== undefined || range.untilSeq !== undefined) {
      filter.seq = {
        ...(range.afterSeq !== undefined && { $gt: range.afterSeq }),
        ...(range.untilSeq !== undefined && { $lte: range.untilSeq }),
      };
    }
    if (range.until !== undefined) filter.occurred_at = { $lte: instantKey(range.until) };
    const documents = await this.events
      .find(filter, { projection: { event: 1 } })
      .sort(SEQ_ORDER)
      .limit(range.limit)
      .toArray();
    return documents.map(fromArchiveDocument);
  }

  async scan(options: ArchiveScanOptions): Promise<ArchiveScanPage> {
    if (options.limit <= 0) return { events: [], cursor: options.cursor };
    const filter: Filter<ArchiveDocument> = {};
    if (options.cursor !== null) {
      const after = decodeScanCursor(options.cursor);
      filter.$or = [
        { session_id: { $gt: after.sessionId } },
        { session_id: after.sessionId, seq: { $gt: after.seq } },
      ];
    }
    if (options.archivedSince !== undefined) filter.archived_at = { $gte: options.archivedSince };
    // One more than the page tells whether another page follows, so the last page ends with a null cursor.
    const documents = await this.events
      .find(filter, { projection: { session_id: 1, seq: 1, event: 1 } })
      .sort(SEQ_ORDER)
      .limit(options.limit + 1)
      .toArray();
    const page = documents.slice(0, options.limit);
    const last = page.at(-1);
    return {
      events: page.map(fromArchiveDocument),
      cursor:
        documents.length > options.limit && last
          ? encodeScanCursor({ sessionId: last.session_id, seq: last.seq })
          : null,
    };
  }

  count(): Promise<number> {
    return this.events.countDocuments({});
  }

  private async holdersOf(events: readonly SessionEvent[]): Promise<Holder[]> {
    return this.events
      .find(
        {
          $or: [
            { _id: { $in: events.map((event) => event.event_id) } },
            ...events.map((event) => ({ session_id: event.session_id, seq: event.seq })),
          ],
        },
        { projection: { session_id: 1, seq: 1 } },
      )
      .toArray();
  }
}

/** The archived events that hold the event_ids and (session_id, seq) places a batch asked for. */
class Holders {
  private readonly byEventId = new Map<string, Holder>();
  private readonly byPlace = new Map<string, Holder>();

  constructor(holders: readonly Holder[]) {
    for (const holder of holders) {
      this.byEventId.set(holder._id, holder);
      this.byPlace.set(placeOf(holder.session_id, holder.seq), holder);
    }
  }

  /** Whether the archive already holds this very event, another event in its place, or nothing of it yet. */
  classify(event: SessionEvent): 'held' | 'absent' | ArchiveConflict {
    const atPlace = this.byPlace.get(placeOf(event.session_id, event.seq));
    if (atPlace?._id === event.event_id) return 'held';
    if (atPlace) return { event, reason: 'seq_taken', existingEventId: atPlace._id };
    if (this.byEventId.has(event.event_id)) {
      return { event, reason: 'event_id_taken', existingEventId: event.event_id };
    }
    return 'absent';
  }
}

function placeOf(sessionId: string, seq: number): string {
  return JSON.stringify([sessionId, seq]);
}
