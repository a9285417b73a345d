import { SessionEvent } from '@app/domain';
import { formatPositionToken, LogPosition, parsePositionToken } from '@app/ports';

/** A deployment that takes `POST /sessions/events` and serves the list: apps/store, or apps/query-api. */
export interface FreshnessTarget {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  ingestToken: string;
}

/** The longest a read may wait for its position (POSITION_WAIT_MAX_MS's default): past it the read answers 503. */
export const READ_WAIT_MS = 30_000;
/** Far above a healthy answer; a request that takes this long is reported as stuck rather than waited for. */
const REQUEST_GIVE_UP_MS = 60_000;
/** A projection this far behind a read's position is stuck, or gone: the run fails rather than wait on. */
const BEHIND_GIVE_UP_MS = 300_000;
/** The list's largest page: a probe's (user, agent) never holds more sessions (see FreshnessProbe). */
const PAGE = 200;

/** Appends `events` in one request and resolves with the position it was acknowledged with. */
export async function ingest(target: FreshnessTarget, events: readonly SessionEvent[]): Promise<LogPosition> {
  const answer = await fetch(`${target.baseUrl}/sessions/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.ingestToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
    signal: AbortSignal.timeout(REQUEST_GIVE_UP_MS),
  });
  const body = await answer.text();
  if (answer.status !== 202) throw new Error(`ingest answered ${answer.status}: ${body.slice(0, 300)}`);
  return parsePositionToken((JSON.parse(body) as { position: string }).position);
}

export interface ListSession {
  session: { id: string; updated_at: string };
}

/** A read's answer once it came, and how many times before it the read model answered that it was behind. */
export interface ReadAfter {
  answer: Response;
  behind: number;
}

/**
 * Reads the (user, agent)'s list once the projection has applied `position`, asking again after each 503 (the read
 * model behind past READ_WAIT_MS), as a client told Retry-After does; resolves when the 200 arrives, with the body
 * still to be read, so the caller can stop its clock at the status.
 */
export async function listAfter(
  target: FreshnessTarget,
  owner: { userId: string; agentId: string },
  position: LogPosition,
): Promise<ReadAfter> {
  const query = new URLSearchParams({
    agent_id: owner.agentId,
    limit: String(PAGE),
    min_position: formatPositionToken(position),
    max_wait_ms: String(READ_WAIT_MS),
  });
  const giveUpAt = Date.now() + BEHIND_GIVE_UP_MS;
  for (let behind = 0; ; behind += 1) {
    const answer = await fetch(`${target.baseUrl}/sessions/?${query}`, {
      headers: { 'x-user-id': owner.userId },
      signal: AbortSignal.timeout(REQUEST_GIVE_UP_MS),
    });
    if (answer.status === 200) return { answer, behind };
    const body = await answer.text();
    if (answer.status !== 503 || Date.now() > giveUpAt)
      throw new Error(`the list after ${formatPositionToken(position)} answered ${answer.status}: ${body}`);
  }
}

/** Waits, a read at a time, until the projection has applied `position`: however far behind it is. */
export async function untilApplied(target: FreshnessTarget, position: LogPosition): Promise<void> {
  const { answer } = await listAfter(
    target,
    { userId: 'freshness-nobody', agentId: 'freshness-nobody' },
    position,
  );
  await answer.body?.cancel();
}
