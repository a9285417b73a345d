import { SessionEvent } from '@app/domain';
import { realisticHistory, sessionEvents, textBlock, timestampAt } from '../../test/factories/session-events';

/**
 * Sessions running at the same time. Their events interleave in the log as concurrent agent runs' events do: a
 * 500-event batch of the embedded log holds about 5 events of each of them; a Kafka partition holds a sixth of
 * them, so its batches hold about 20 sessions' events.
 */
const CONCURRENT_SESSIONS = 100;
/** Owners of the sessions: enough that a batch's views belong to many users and agents, as in production. */
const USERS = 50;
const AGENTS = 3;

export interface Workload {
  /** In log order. */
  events: SessionEvent[];
  sessionIds: string[];
}

/**
 * `eventCount` events of realistic sessions (test/factories' `realisticHistory`, 23 events each, the last session
 * cut short to land on the count), interleaved in waves of concurrent sessions. Sessions are numbered from
 * `firstSession`, so consecutive calls can extend one log with sessions of their own.
 */
export function interleavedSessions(eventCount: number, firstSession = 0): Workload {
  const histories: SessionEvent[][] = [];
  for (let remaining = eventCount, index = firstSession; remaining > 0; index += 1) {
    const history = realisticHistory(
      `bench-session-${index}`,
      `bench-user-${index % USERS}`,
      `bench-agent-${index % AGENTS}`,
    ).slice(0, remaining);
    histories.push(history);
    remaining -= history.length;
  }
  const events: SessionEvent[] = [];
  for (let start = 0; start < histories.length; start += CONCURRENT_SESSIONS) {
    const wave = histories.slice(start, start + CONCURRENT_SESSIONS);
    const longest = Math.max(...wave.map((history) => history.length));
    for (let position = 0; position < longest; position += 1) {
      for (const history of wave) if (position < history.length) events.push(history[position]);
    }
  }
  return { events, sessionIds: histories.map((history) => history[0].session_id) };
}

/** Runs between two compactions of a long session's context, as an agent's context window fills up. */
const RUNS_PER_COMPACTION = 200;

/**
 * One long-lived session: runs of a user message and an answer that is streamed then finished, a task moving and
 * the iteration counter; every few hundred runs the older messages are compacted. The view's context stays in
 * the hundreds of items, where updating an item by id is much of the fold's work.
 */
export function longSession(eventCount: number): SessionEvent[] {
  const sessionId = 'bench-long-session';
  const builder = sessionEvents(sessionId, 'bench-user-0', 'bench-agent-0').created().teamUpdated();
  let uncompacted: string[] = [];
  for (let run = 1; builder.events.length < eventCount; run += 1) {
    const question = `${sessionId}-q-${run}`;
    const answer = `${sessionId}-a-${run}`;
    builder
      .runStarted()
      .contextAppended([
        { id: question, name: 'user', content: [textBlock(`Next step ${run}, please.`, `${question}-text`)] },
        { id: answer, content: [textBlock('Working on it.', `${answer}-text`)] },
      ])
      .contextUpdated({
        id: answer,
        content: [textBlock(`Step ${run} done: the suite passes.`, `${answer}-text`)],
        finished_at: timestampAt(builder.seq),
        usage: { input_tokens: 1200 + run, output_tokens: 300 },
      })
      .taskUpdated({ id: `${sessionId}-task-${run % 7}`, state: run % 2 ? 'in_progress' : 'completed' })
      .stateUpdated({ cur_iter: run })
      .runStopped('completed');
    uncompacted.push(question, answer);
    if (run % RUNS_PER_COMPACTION === 0) {
      builder.contextCompacted(`Summary of the first ${run} steps.`, uncompacted);
      uncompacted = [];
    }
  }
  return builder.events.slice(0, eventCount);
}
