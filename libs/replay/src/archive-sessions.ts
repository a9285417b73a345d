import { SessionEvent } from '@app/domain';
import { EventArchive } from '@app/ports';

export interface ArchivedSession {
  sessionId: string;
  events: SessionEvent[];
}

/**
 * Walks the whole archive one session at a time. The archive scans in (session_id, seq) order, so a session's events
 * are contiguous and only the session that straddles a page boundary is held across pages.
 */
export async function* archivedSessions(
  archive: EventArchive,
  options: { pageSize: number; archivedSince?: Date; onPage?: (events: number) => void },
): AsyncGenerator<ArchivedSession> {
  let cursor: string | null = null;
  let current: ArchivedSession | undefined;
  do {
    const page = await archive.scan({
      cursor,
      limit: options.pageSize,
      archivedSince: options.archivedSince,
    });
    for (const event of page.events) {
      if (current?.sessionId !== event.session_id) {
        if (current) yield current;
        current = { sessionId: event.session_id, events: [] };
      }
      current.events.push(event);
    }
    options.onPage?.(page.events.length);
    cursor = page.cursor;
  } while (cursor !== null);
  if (current) yield current;
}
