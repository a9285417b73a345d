import { randomBytes } from 'node:crypto';
import {
  RunStopReason,
  SessionEventOf,
  SessionEventType,
  SessionProjection,
  SessionSource,
  foldEvents,
} from '@app/domain';
import { sessionEvents, textBlock, timestampAt } from '../factories/session-events';

// Shared by the port contracts: projections with chosen list attributes, and waiting for what a transport
// delivers asynchronously (a Kafka consumer, an in-process emitter).

/** Session ids no other test of the same run uses, so suites may share a server. */
export function uniqueSessionId(prefix = 'session'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export interface ProjectionSpec {
  userId?: string;
  agentId?: string;
  /** session.updated_at, as seconds after the factories' start instant; or an ISO-8601 string. */
  updatedAt?: number | string;
  source?: SessionSource;
  teamId?: string | null;
  /** Leaves a run open (`running`), or stops the last run with this reason. */
  run?: 'running' | RunStopReason;
  deleted?: boolean;
  /** Extra context messages, to make a projection larger or distinguishable. */
  messages?: string[];
}

/** A projection folded from real events, so every adapter stores what the projector would. */
export function projectionOf(sessionId: string, spec: ProjectionSpec = {}): SessionProjection {
  const occurred_at = typeof spec.updatedAt === 'string' ? spec.updatedAt : timestampAt(spec.updatedAt ?? 0);
  const envelope = { occurred_at };
  const source = spec.source ?? 'user';
  const builder = sessionEvents(sessionId, spec.userId, spec.agentId).created(
    {
      source,
      source_schedule_id: source === 'schedule' ? `schedule-${sessionId}` : null,
      team_id: spec.teamId ?? null,
    },
    envelope,
  );
  (spec.messages ?? []).forEach((text, index) => {
    builder.contextAppended([{ content: [textBlock(text, `${sessionId}-text-${index}`)] }], envelope);
  });
  if (spec.run !== undefined) {
    builder.runStarted(undefined, envelope);
    if (spec.run !== 'running') builder.runStopped(spec.run, envelope);
  }
  if (spec.deleted) builder.deleted(envelope);
  const projection = foldEvents(undefined, builder.events).projection;
  if (projection === undefined) throw new Error(`events of ${sessionId} must fold into a projection`);
  return projection;
}

/** The projection after one more event of `type`, at `occurredAt` (default: its current updated_at). */
export function followedBy<TType extends SessionEventType>(
  projection: SessionProjection,
  type: TType,
  data: SessionEventOf<TType>['data'],
  occurredAt = projection.view.session.updated_at,
): SessionProjection {
  const next = sessionEvents(projection.session_id).add(type, data, {
    seq: projection.version + 1,
    occurred_at: occurredAt,
  });
  const folded = foldEvents(projection, next.events).projection;
  if (folded === undefined || folded.version !== projection.version + 1)
    throw new Error(`${type} must apply`);
  return folded;
}

/** The projection one event later, with only its name (and version) changed. */
export function renamed(projection: SessionProjection, name: string, occurredAt?: string): SessionProjection {
  return followedBy(projection, 'session.config_updated', { config: { name } }, occurredAt);
}

export { viewChangeOf } from '@app/ports';

/**
 * Polls `check` until it returns without throwing. Delivery through a broker takes an unknown while, so this only
 * gives up (with the check's last error) after a bound far above any healthy delivery; it asserts no duration.
 */
export async function eventually<T>(check: () => T | Promise<T>, giveUpAfterMs = 30_000): Promise<T> {
  const giveUpAt = Date.now() + giveUpAfterMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await delay(20);
    }
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How a stand-in server departs from one case of a contract. `fails`: it answers, wrongly; the case runs and must
 * still fail, so the entry goes once the server is fixed. `neverAnswers`: it does not answer at all; the case is not
 * run, since waiting on it would wedge the server every other suite shares, and the reason names the case's title.
 */
export type Deviation = { fails: string } | { neverAnswers: string };

/**
 * A stand-in server's declared deviations from a contract, by case title. Production code is written for the real
 * server; the contract names what a stand-in does not do instead.
 */
export type DeclaredDeviations = Record<string, Deviation>;

/**
 * `it` for a contract suite run against `adapter`: a case named in `deviations` is run to show the server still
 * fails it, or left out with the reason in its title when the server never answers it; a deviation that names no
 * case of the suite fails the suite, so none goes stale.
 */
export function contractCases(adapter: string, deviations: DeclaredDeviations = {}) {
  const declared = new Set(Object.keys(deviations));
  afterAll(() => {
    if (declared.size > 0)
      throw new Error(`deviations declared for ${adapter} name no case: ${[...declared].join(', ')}`);
  });
  return (title: string, run: () => Promise<void>): void => {
    const deviation = deviations[title];
    if (deviation === undefined) {
      it(title, run);
      return;
    }
    declared.delete(title);
    if ('fails' in deviation) {
      it(`${title} [still fails on ${adapter}: ${deviation.fails}]`, async () => {
        await expect(run()).rejects.toBeDefined();
      });
      return;
    }
    it.skip(`${title} [not run on ${adapter}, which never answers it: ${deviation.neverAnswers}]`, run);
  };
}
