import { FRESHNESS_HEADERS, LOG_POSITION_HEADER, MAX_WAITERS, ProjectionWatcher } from '@app/freshness';
import { AppliedPositions, covers, parsePositionToken } from '@app/ports';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { get } from 'node:http';
import { realisticHistory, sessionEvents } from '../factories/session-events';
import { openSse } from '../support/sse-client';
import { eventually, uniqueSessionId } from './contract-support';

/** A deployment serving ingest and reads, whose projector a test can stop and start again. */
export interface FreshnessTarget {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<port>, for the change stream. */
  baseUrl: string;
  ingestToken: string;
  /** The adapter the query API's watcher reads, to count its reads. */
  appliedPositions: AppliedPositions;
  /** Stops projecting; what was applied stays applied. */
  stallProjector(): Promise<void>;
  resumeProjector(): Promise<void>;
  /** A position the log does not reach. */
  beyondLog: string;
}

/** The watch interval the targets run with (PROJECTION_WATCH_MS). */
export const FRESHNESS_WATCH_MS = 50;

const USER = 'user-fresh';

/**
 * Read your own writes (README "Read your writes"): a read given the position a write was acknowledged with shows
 * the write, or says the read model is behind; every read says how fresh it is. The same on both profiles.
 */
export function describeReadYourWrites(
  start: () => Promise<FreshnessTarget>,
  stop: () => Promise<void>,
): void {
  let target: FreshnessTarget;

  beforeAll(async () => {
    target = await start();
  }, 120_000);
  afterAll(() => stop(), 120_000);

  const ingest = async (events: unknown[]) => {
    const response = await target.app.inject({
      method: 'POST',
      url: '/sessions/events',
      headers: { authorization: `Bearer ${target.ingestToken}` },
      payload: { events },
    });
    expect(response.statusCode).toBe(202);
    const { position } = response.json() as { position: string };
    expect(response.headers[LOG_POSITION_HEADER.toLowerCase()]).toBe(position);
    return position;
  };
  const read = (url: string, headers: Record<string, string> = {}) =>
    target.app.inject({ method: 'GET', url, headers: { 'x-user-id': USER, ...headers } });
  const withPosition = (url: string, position: string, more = '') =>
    `${url}${url.includes('?') ? '&' : '?'}min_position=${encodeURIComponent(position)}${more}`;

  it('shows a write to a read given its position, every time, by query parameter or header', async () => {
    const agent = uniqueSessionId('agent');
    for (let round = 0; round < 4; round += 1) {
      const sessionId = uniqueSessionId(`fresh-${round}`);
      const history = realisticHistory(sessionId, USER, agent);
      // Half the rounds read while the projector is stopped and start it only then: a read that did not wait
      // would answer at once, without the write.
      const stalled = round % 2 === 0;
      if (stalled) await target.stallProjector();
      const position = await ingest(history);
      const list =
        round < 2
          ? read(withPosition(`/sessions/?agent_id=${agent}`, position, '&max_wait_ms=30000'))
          : read(`/sessions/?agent_id=${agent}&max_wait_ms=30000`, { 'min-position': position });
      const events = read(withPosition(`/sessions/${sessionId}/events`, position, '&max_wait_ms=30000'));
      if (stalled) await target.resumeProjector();

      const listed = await list;
      expect(listed.statusCode).toBe(200);
      expect((listed.json() as { total: number }).total).toBe(round + 1);
      const reflected = parsePositionToken(String(listed.headers['projection-position']));
      expect(covers(reflected, parsePositionToken(position))).toBe(true);
      const archived = await events;
      expect(archived.statusCode).toBe(200);
      expect((archived.json() as { events: unknown[] }).events).toHaveLength(history.length);
    }
  });

  it('says how fresh every read is, in headers that leave the body alone', async () => {
    const sessionId = uniqueSessionId('headers');
    const agent = uniqueSessionId('agent');
    const position = await ingest(sessionEvents(sessionId, USER, agent).created().runStarted().events);
    const urls = [
      `/sessions/?agent_id=${agent}`,
      `/sessions/${sessionId}`,
      `/sessions/${sessionId}/events`,
      `/sessions/${sessionId}/state?at_seq=1`,
    ];
    for (const url of urls) {
      const response = await read(withPosition(url, position));
      expect([url, response.statusCode]).toEqual([url, 200]);
      expect(Number(response.headers[FRESHNESS_HEADERS.eventsBehind.toLowerCase()])).toBeGreaterThanOrEqual(
        0,
      );
      expect(Number(response.headers[FRESHNESS_HEADERS.msBehind.toLowerCase()])).toBeGreaterThanOrEqual(0);
      expect(response.headers[FRESHNESS_HEADERS.position.toLowerCase()]).toMatch(/^\d+:\d+(,\d+:\d+)*$/);
    }
    const plain = await read(`/sessions/?agent_id=${agent}`);
    expect(plain.headers[FRESHNESS_HEADERS.position.toLowerCase()]).toBeDefined();
  });

  it('carries comparable log positions on the change stream, and opens it only once the position is applied', async () => {
    const sessionId = uniqueSessionId('stream');
    const agent = uniqueSessionId('agent');
    const created = await ingest(sessionEvents(sessionId, USER, agent).created().events);
    const opened = await openSse(
      `${target.baseUrl}${withPosition(`/sessions/changes?agent_id=${agent}`, created)}`,
      { 'x-user-id': USER },
    );
    if (opened.kind !== 'stream') throw new Error(`the stream was refused: ${JSON.stringify(opened)}`);
    try {
      expect(opened.headers['projection-position']).toBeDefined();
      const started = await ingest(
        sessionEvents(sessionId, USER, agent).created().runStarted().events.slice(1),
      );
      const change = await opened.stream.next(
        (message) =>
          message.event === 'session.updated' &&
          covers(
            parsePositionToken((JSON.parse(message.data!) as { log_position: string }).log_position),
            parsePositionToken(started),
          ),
      );
      expect((JSON.parse(change.data!) as { version: number }).version).toBe(2);
    } finally {
      opened.stream.close();
    }
  });

  it('refuses a position that is not one, and one the log does not reach, naming the parameter', async () => {
    const malformed = await read(withPosition('/sessions/?agent_id=a', 'abc'));
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json()).toEqual({
      detail: [
        expect.objectContaining({
          loc: ['query', 'min_position'],
          msg: 'Value error, not a log position this service handed out',
        }),
      ],
    });
    const beyond = await read('/sessions/?agent_id=a', { 'min-position': target.beyondLog });
    expect(beyond.statusCode).toBe(422);
    expect(beyond.json()).toEqual({
      detail: [expect.objectContaining({ loc: ['header', 'min-position'], input: target.beyondLog })],
    });
    // Found by the fuzzer: without a wait the position was answered "behind" (503) instead of refused.
    const unwaited = await read(withPosition('/sessions/?agent_id=a', target.beyondLog, '&max_wait_ms=0'));
    expect(unwaited.statusCode).toBe(422);
    expect(unwaited.json()).toEqual({
      detail: [expect.objectContaining({ loc: ['query', 'min_position'], input: target.beyondLog })],
    });
  });

  describe('while the projector is stalled', () => {
    beforeAll(() => target.stallProjector(), 60_000);
    afterAll(() => target.resumeProjector(), 60_000);

    it('answers 503 "behind" once the wait is over, with how far behind it is', async () => {
      const sessionId = uniqueSessionId('stalled');
      const position = await ingest(sessionEvents(sessionId, USER, 'agent-stalled').created().events);
      const startedAt = Date.now();
      const response = await read(withPosition(`/sessions/${sessionId}`, position, '&max_wait_ms=300'));
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json()).toEqual({
        detail: expect.stringMatching(
          new RegExp(`^the read model has not yet applied position ${position} `),
        ),
      });
      expect(Number(response.headers['projection-lag-events'])).toBeGreaterThanOrEqual(1);

      const stream = await openSse(
        `${target.baseUrl}${withPosition('/sessions/changes?agent_id=agent-stalled', position, '&max_wait_ms=0')}`,
        { 'x-user-id': USER },
      );
      expect(stream.status).toBe(503);
    });

    it('keeps many waiting reads on one watcher: its reads do not grow with the waiters', async () => {
      const position = await ingest(
        sessionEvents(uniqueSessionId('many'), USER, 'agent-many').created().events,
      );
      const reads = jest.spyOn(target.appliedPositions, 'read');
      try {
        const waiters = 200;
        expect(waiters).toBeLessThan(MAX_WAITERS);
        const answers = await Promise.all(
          Array.from({ length: waiters }, () =>
            read(withPosition('/sessions/?agent_id=agent-many', position, '&max_wait_ms=500')),
          ),
        );
        expect(answers.map(({ statusCode }) => statusCode)).toEqual(answers.map(() => 503));
        // One look per watch interval while anyone waits (500 ms / 50 ms, plus the first), however many wait.
        expect(reads.mock.calls.length).toBeLessThan(waiters / 10);
      } finally {
        reads.mockRestore();
      }
    });

    it('forgets a waiting read whose client hung up', async () => {
      const position = await ingest(
        sessionEvents(uniqueSessionId('gone'), USER, 'agent-gone').created().events,
      );
      const watcher = target.app.get(ProjectionWatcher);
      const request = get(
        `${target.baseUrl}${withPosition('/sessions/?agent_id=agent-gone', position, '&max_wait_ms=30000')}`,
        { headers: { 'x-user-id': USER } },
      );
      request.on('error', () => undefined);
      await eventually(() => expect(watcher.waiting).toBe(1));
      request.destroy();
      await eventually(() => expect(watcher.waiting).toBe(0));
    });

    it('reports not ready past a lag limit, and answers a waiting read once the projector resumes', async () => {
      const sessionId = uniqueSessionId('resumed');
      const position = await ingest(sessionEvents(sessionId, USER, 'agent-resumed').created().events);
      await eventually(async () => {
        const ready = await target.app.inject({ method: 'GET', url: '/health/ready?max_lag_ms=0' });
        expect(ready.statusCode).toBe(503);
        expect(ready.json().checks['projection-lag']).toMatch(
          /^failed: the projection is \d+ event\(s\) behind/,
        );
      });
      const metrics = await target.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/^projection_lag_events [1-9]\d*$/m);
      expect(metrics.body).toMatch(/^projection_lag_seconds \d/m);
      const waiting = read(withPosition(`/sessions/${sessionId}`, position, '&max_wait_ms=30000'));
      await target.resumeProjector();
      const answer = await waiting;
      expect(answer.statusCode).toBe(200);
      await target.stallProjector();
    });
  });
}
