import { parseSessionEventJson } from '@app/domain';
import { EventArchive } from '@app/ports';
import { ProgressListener, ProgressTracker } from '@app/replay';
import { EventLogReader } from './event-log-reader';

/** Offsets listed per partition at most; the counts are always complete. */
export const MAX_LISTED_OFFSETS = 100;
const HISTORY_PAGE = 10_000;

export interface PartitionCheck {
  partition: number;
  records: number;
  archived: number;
  /** Events of this partition the archive does not hold (the first MAX_LISTED_OFFSETS offsets). */
  notArchived: string[];
  notArchivedCount: number;
}

export interface SessionCheck {
  sessionId: string;
  /** Distinct seqs the log holds for the session. */
  logSeqs: number;
  archivedSeqs: number;
  missingSeqs: number[];
}

export interface LogVerifyReport {
  records: number;
  /** Log records whose event the archive holds, copies of one event counted each. */
  archived: number;
  /** Records that are not events at all: the projector dead-lettered them, the archive never held them. */
  invalid: number;
  /** Events whose seq the archive holds under another event: dead-lettered as archive conflicts. */
  conflicting: number;
  /** Events the archive should hold and does not: lost, or not projected yet. */
  missing: number;
  partitions: PartitionCheck[];
  /** Only the sessions with something missing. */
  sessions: SessionCheck[];
  clean: boolean;
}

interface Logged {
  eventId: string;
  partition: number;
  offset: string;
}

/**
 * Checks the archive against the event log, the record of what was acknowledged: every event in the log must be in
 * the archive at its (session, seq) under its own event_id. Reads the log directly, so it runs beside the projector;
 * an event the projector has not reached yet counts as missing, so run it once the projector's lag is 0.
 */
export class LogArchiveVerifier {
  constructor(
    private readonly log: EventLogReader,
    private readonly archive: EventArchive,
  ) {}

  async verify(options: { onProgress?: ProgressListener } = {}): Promise<LogVerifyReport> {
    const start = { kind: 'earliest' } as const;
    const progress = new ProgressTracker('read the log', await this.log.size(start), options.onProgress);
    const partitions = new Map<number, PartitionCheck>();
    const sessions = new Map<string, Map<number, Logged[]>>();
    let records = 0;
    let invalid = 0;
    await this.log.read(start, async (batch) => {
      for (const { value, source } of batch) {
        const partition = source.partition ?? 0;
        const check = partitionCheck(partitions, partition);
        check.records += 1;
        records += 1;
        const parsed = parseSessionEventJson(value);
        if (!parsed.ok) {
          invalid += 1;
          continue;
        }
        const { session_id, seq, event_id } = parsed.event;
        const seqs = sessions.get(session_id) ?? new Map<number, Logged[]>();
        sessions.set(session_id, seqs);
        seqs.set(seq, [
          ...(seqs.get(seq) ?? []),
          { eventId: event_id, partition, offset: source.offset ?? '' },
        ]);
      }
      progress.advance(batch.length);
    });

    let archived = 0;
    let conflicting = 0;
    let missing = 0;
    const incomplete: SessionCheck[] = [];
    const checking = new ProgressTracker('check the archive', sessions.size, options.onProgress);
    for (const [sessionId, seqs] of sessions) {
      const held = await this.archivedEventIds(sessionId);
      const missingSeqs: number[] = [];
      for (const [seq, copies] of seqs) {
        const holder = held.get(seq);
        for (const copy of copies) {
          if (holder === copy.eventId) {
            archived += 1;
            partitionCheck(partitions, copy.partition).archived += 1;
          } else if (holder !== undefined) {
            conflicting += 1;
          } else {
            missing += 1;
            const check = partitionCheck(partitions, copy.partition);
            check.notArchivedCount += 1;
            if (check.notArchived.length < MAX_LISTED_OFFSETS) check.notArchived.push(copy.offset);
          }
        }
        if (holder === undefined) missingSeqs.push(seq);
      }
      if (missingSeqs.length > 0) {
        incomplete.push({
          sessionId,
          logSeqs: seqs.size,
          archivedSeqs: held.size,
          missingSeqs: missingSeqs.sort((a, b) => a - b),
        });
      }
      checking.advance(1);
    }
    for (const check of partitions.values())
      check.notArchived.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    return {
      records,
      archived,
      invalid,
      conflicting,
      missing,
      partitions: [...partitions.values()].sort((a, b) => a.partition - b.partition),
      sessions: incomplete.sort((a, b) => a.sessionId.localeCompare(b.sessionId)),
      clean: missing === 0,
    };
  }

  /** seq -> event_id of everything the archive holds for the session. */
  private async archivedEventIds(sessionId: string): Promise<Map<number, string>> {
    const held = new Map<number, string>();
    for (let afterSeq: number | undefined; ;) {
      const page = await this.archive.history(sessionId, { afterSeq, limit: HISTORY_PAGE });
      for (const event of page) held.set(event.seq, event.event_id);
      if (page.length < HISTORY_PAGE) return held;
      afterSeq = page[page.length - 1].seq;
    }
  }
}

function partitionCheck(partitions: Map<number, PartitionCheck>, partition: number): PartitionCheck {
  let check = partitions.get(partition);
  if (!check) {
    check = { partition, records: 0, archived: 0, notArchived: [], notArchivedCount: 0 };
    partitions.set(partition, check);
  }
  return check;
}
