import { instantKey } from '@app/domain';
import type { SessionEvent } from '@app/domain';
import {
  ArchiveAppendResult,
  ArchiveScanOptions,
  ArchiveScanPage,
  ArchiveScanPosition,
  decodeArchiveScanCursor,
  encodeArchiveScanCursor,
  EventArchive,
  HistoryRange,
} from '@app/ports';
import { Collection, Db, Filter, MongoBulkWriteError } from 'mongodb';
import { answerFromHolders, splitRepeats } from './archive-answers';
import {
  ARCHIVE_INDEXES,
  ArchiveDocument,
  fromArchiveDocument,
  occurredUntil,
  toArchiveDocument,
} from './archive-document';
import { DUPLICATE_KEY_CODE } from './duplicate-key';
import { KeyEscapeOptions } from './document-keys';
import { ensureIndexes } from './ensure-indexes';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';

const ARCHIVE_COLLECTION = 'session_events';
const SEQ_ORDER = { session_id: 1, seq: 1 } as const;

export type MongoEventArchiveOptions = KeyEscapeOptions;

export class MongoEventArchive extends EventArchive {
  private constructor(
    private readonly events: Collection<ArchiveDocument>,
    private readonly options: MongoEventArchiveOptions,
  ) {
    super();
  }

  /** The archive with its unique indexes in place: appends rely on them to refuse a second event at a seq. */
  static async open(db: Db, options: MongoEventArchiveOptions = {}): Promise<MongoEventArchive> {
    const events = db.collection<ArchiveDocument>(ARCHIVE_COLLECTION);
    await ensureIndexes(events, ARCHIVE_INDEXES);
    return new MongoEventArchive(events, options);
  }

  /**
   * One unordered insertMany of the batch's first claims to each event_id and place; the server stores what is
   * new and refuses the rest with E11000 key errors, and only the refused events (with the batch's repeats) are
   * answered from the documents that hold their keys. A batch of new events is one round trip, a redelivered one
   * two. A repeat whose first claim was refused may itself be new, hence the next round.
   */
  async append(events: readonly SessionEvent[]): Promise<ArchiveAppendResult> {
    const result: ArchiveAppendResult = { stored: 0, duplicates: 0, conflicts: [] };
    const archivedAt = new Date();
    let pending = events;
    while (pending.length > 0) {
      const { firsts, later } = splitRepeats(pending);
      const refused = await this.insertNew(firsts, archivedAt);
      result.stored += firsts.length - refused.length;
      const toAnswer = [...refused, ...later];
      if (toAnswer.length === 0) break;
      const answers = answerFromHolders(toAnswer, await this.holdersOf(toAnswer));
      result.duplicates += answers.duplicates;
      result.conflicts.push(...answers.conflicts);
      if (answers.fresh.some((event) => refused.includes(event))) {
        throw new MongoStoreError(
          MongoStoreErrorCode.WriteWithoutProgress,
          `${ARCHIVE_COLLECTION} refused an insert on a duplicate key that no stored event holds`,
        );
      }
      pending = answers.fresh;
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
    const bounded =
      range.until === undefined ? filter : { $and: [filter, occurredUntil(instantKey(range.until))] };
    const documents = await this.events.find(bounded).sort(SEQ_ORDER).limit(range.limit).toArray();
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
      .find(filter)
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

  /**
   * Inserts `events` (no two sharing a key) and returns those the server refused on a unique key, told apart by
   * the index of each E11000 write error; the reply's counts are not read. Any other error is thrown.
   */
  private async insertNew(events: readonly SessionEvent[], archivedAt: Date): Promise<SessionEvent[]> {
    if (events.length === 0) return [];
    try {
      await this.events.insertMany(
        events.map((event) => toArchiveDocument(event, archivedAt, this.options)),
        { ordered: false },
      );
      return [];
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      const onlyDuplicateKeys =
        error.result.getWriteConcernError() === undefined &&
        writeErrors.length > 0 &&
        writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY_CODE);
      if (!onlyDuplicateKeys) throw error;
      return writeErrors.map((writeError) => events[writeError.index]);
    }
  }

  /** The archived events holding the event_ids or the places of `events`: one query, one clause per session. */
  private holdersOf(events: readonly SessionEvent[]): Promise<ArchiveDocument[]> {
    const seqsBySession = new Map<string, number[]>();
    for (const event of events) {
      const seqs = seqsBySession.get(event.session_id) ?? [];
      seqs.push(event.seq);
      seqsBySession.set(event.session_id, seqs);
    }
    return this.events
      .find({
        $or: [
          { _id: { $in: events.map((event) => event.event_id) } },
          ...[...seqsBySession].map(([sessionId, seqs]) => ({ session_id: sessionId, seq: { $in: seqs } })),
        ],
      })
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
