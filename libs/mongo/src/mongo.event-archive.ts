import { instantKey } from '@app/domain';
import type { SessionEvent } from '@app/domain';
import {
  ArchiveAppendResult,
  ArchiveScanOptions,
  ArchiveScanPosition,
  ArchiveScanPage,
  decodeArchiveScanCursor,
  encodeArchiveScanCursor,
  EventArchive,
  HistoryRange,
} from '@app/ports';
import { Collection, Db, Filter } from 'mongodb';
import { answerAppends, ArchiveHolder, withoutRepeats } from './archive-answers';
import { ARCHIVE_INDEXES, ArchiveDocument, fromArchiveDocument, toArchiveDocument } from './archive-document';
import { bulkWriteUntilAnswered, newWriteToken } from './bulk-write-until-answered';
import { ensureIndexes } from './ensure-indexes';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';

const ARCHIVE_COLLECTION = 'session_events';
const SEQ_ORDER = { session_id: 1, seq: 1 } as const;

export class MongoEventArchive extends EventArchive {
  private constructor(private readonly events: Collection<ArchiveDocument>) {
    super();
  }

  /** The archive with its unique indexes in place: appends rely on them to refuse a second event at a seq. */
  static async open(db: Db): Promise<MongoEventArchive> {
    const events = db.collection<ArchiveDocument>(ARCHIVE_COLLECTION);
    await ensureIndexes(events, ARCHIVE_INDEXES);
    return new MongoEventArchive(events);
  }

  /** One bulk insert, re-read and resent as bulkWriteUntilAnswered describes, so every event gets its real answer. */
  async append(events: readonly SessionEvent[]): Promise<ArchiveAppendResult> {
    const token = newWriteToken();
    const archivedAt = new Date();
    const { distinct, repeats } = withoutRepeats(events);
    const result: ArchiveAppendResult = { stored: 0, duplicates: repeats, conflicts: [] };
    const confirmedByReply = await bulkWriteUntilAnswered(
      this.events,
      distinct,
      (event) => ({ insertOne: { document: toArchiveDocument(event, archivedAt, token) } }),
      async (pending) => {
        const answers = answerAppends(pending, await this.holdersOf(pending), token);
        result.stored += answers.stored;
        result.duplicates += answers.duplicates;
        result.conflicts.push(...answers.conflicts);
        return answers.unattempted;
      },
    );
    result.stored += confirmedByReply;
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
      const after = decodeCursor(options.cursor);
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
          ? encodeArchiveScanCursor({ sessionId: last.session_id, seq: last.seq })
          : null,
    };
  }

  count(): Promise<number> {
    return this.events.countDocuments({});
  }

  private holdersOf(events: readonly SessionEvent[]): Promise<ArchiveHolder[]> {
    return this.events
      .find(
        {
          $or: [
            { _id: { $in: events.map((event) => event.event_id) } },
            ...events.map((event) => ({ session_id: event.session_id, seq: event.seq })),
          ],
        },
        { projection: { session_id: 1, seq: 1, write_token: 1, event: 1 } },
      )
      .toArray();
  }
}

function decodeCursor(cursor: string): ArchiveScanPosition {
  const position = decodeArchiveScanCursor(cursor);
  if (position === undefined) {
    throw new MongoStoreError(
      MongoStoreErrorCode.InvalidCursor,
      `'${cursor}' is not a cursor this archive handed out`,
    );
  }
  return position;
}
