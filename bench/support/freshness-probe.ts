import { applyEvent, SessionEvent, SessionProjection } from '@app/domain';
import { isDeepStrictEqual } from 'node:util';
import { realisticHistory } from '../../test/factories/session-events';
import { ChangeArrivals } from './change-arrivals';
import { FreshnessTarget, ingest, listAfter, ListSession } from './freshness-client';

/** Sessions per probing (user, agent): its list stays one page (of 200) however many writes are timed. */
const SESSIONS_PER_AGENT = 50;

/** One timed write-then-read and what it wrote. */
export interface ProbeSample {
  ms: number;
  /** Of `ms`, until the write's 202: the rest is the read, waiting for the projection. */
  ackMs: number;
  /** Reads answered 503 (behind past the longest wait) before the 200. */
  behind: number;
  /** Of `ms`, until the projector's change for the write reached a consumer; null where changes are not watched. */
  projectedMs: number | null;
  created: boolean;
}

/**
 * A client that writes one event and then reads its list with the position the write was acknowledged with, as
 * an agent UI does after it posts: the next event of its current session (realistic 23-event histories), or a new
 * session's `session.created` when the last one is complete. Its sessions belong to a user of its own, so the
 * background load's sessions never share its list.
 */
export class FreshnessProbe {
  private history: SessionEvent[] = [];
  private written = 0;
  private sessions = 0;
  private expected: SessionProjection | undefined;

  constructor(
    private readonly target: FreshnessTarget,
    private readonly name: string,
    private readonly changes?: ChangeArrivals,
  ) {}

  /**
   * Milliseconds from just before the write to the read's 200; the body is then checked to show the write (the
   * listed view is the domain's fold of the session up to this event), outside the clock.
   */
  async writeThenRead(): Promise<ProbeSample> {
    const event = this.nextEvent();
    const owner = {
      userId: `${this.name}-user`,
      agentId: `${this.name}-agent-${Math.floor((this.sessions - 1) / SESSIONS_PER_AGENT)}`,
    };
    const arrival = this.changes?.arrival(event.session_id, event.seq);
    const startedAt = process.hrtime.bigint();
    const position = await ingest(this.target, [event]);
    const ackMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    const { answer, behind } = await listAfter(this.target, owner, position);
    const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
    const { sessions } = (await answer.json()) as { sessions: ListSession[] };
    const listed = sessions.find(({ session }) => session.id === event.session_id);
    const expected = JSON.parse(JSON.stringify(this.expected!.view)) as unknown;
    if (!isDeepStrictEqual(listed, expected)) {
      throw new Error(
        `the read after ${event.type} (seq ${event.seq}) of ${event.session_id} does not show it: ` +
          `listed ${JSON.stringify(listed)?.slice(0, 300)}, expected ${JSON.stringify(expected).slice(0, 300)}`,
      );
    }
    const arrivedAt = await arrival;
    const projectedMs = arrivedAt ? Number(arrivedAt - startedAt) / 1e6 : null;
    return { ms, ackMs, behind, projectedMs, created: event.type === 'session.created' };
  }

  private nextEvent(): SessionEvent {
    if (this.written === this.history.length) {
      this.sessions += 1;
      const sessionId = `${this.name}-session-${this.sessions}`;
      const agentId = `${this.name}-agent-${Math.floor((this.sessions - 1) / SESSIONS_PER_AGENT)}`;
      this.history = realisticHistory(sessionId, `${this.name}-user`, agentId);
      this.written = 0;
      this.expected = undefined;
    }
    const event = this.history[this.written++];
    const outcome = applyEvent(this.expected, event);
    if (outcome.kind !== 'applied') throw new Error(`the probe's own history did not fold: ${outcome.kind}`);
    this.expected = outcome.projection;
    return event;
  }
}
