import { secondsSince } from './measure';

/** Far above any healthy answer; a side that takes this long is reported as stuck rather than waited for. */
const REQUEST_GIVE_UP_MS = 60_000;

/** What one side served in a round: requests completed and each one's milliseconds, ascending. */
export interface LoadRound {
  requests: number;
  seconds: number;
  latencies: number[];
}

/**
 * `connections` clients, each sending GET `url` again as soon as its previous answer is read, for `seconds`: the
 * throughput a side sustains and the latency each request sees meanwhile. Every answer must be 200, so a broken side
 * cannot look fast.
 */
export async function loadFor(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<LoadRound> {
  const latencies: number[] = [];
  const startedAt = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  const client = async () => {
    while (Date.now() < deadline) {
      const sentAt = process.hrtime.bigint();
      const answer = await fetch(url, { headers, signal: AbortSignal.timeout(REQUEST_GIVE_UP_MS) });
      const body = await answer.text();
      if (answer.status !== 200)
        throw new Error(`GET ${url} answered ${answer.status}: ${body.slice(0, 200)}`);
      latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  return {
    requests: latencies.length,
    seconds: secondsSince(startedAt),
    latencies: latencies.sort((a, b) => a - b),
  };
}
