/** What a projector's /metrics says of its batches so far: the running sums of two histograms. */
export interface BatchTotals {
  batches: number;
  events: number;
  seconds: number;
  /** Sessions folded again from the archive because an event came after later ones of its session. */
  lateRepairs: number;
}

/** Reads the batch histograms and the late repairs of ProjectorMetrics from a /metrics page. */
export async function batchTotals(metricsUrl: string): Promise<BatchTotals> {
  const answer = await fetch(metricsUrl);
  const text = await answer.text();
  if (answer.status !== 200)
    throw new Error(`${metricsUrl} answered ${answer.status}: ${text.slice(0, 200)}`);
  const total = (series: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${series} `) || line.startsWith(`${series}{`))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return {
    batches: total('projector_batch_duration_seconds_count'),
    events: total('projector_batch_size_sum'),
    seconds: total('projector_batch_duration_seconds_sum'),
    lateRepairs: total('projector_late_repairs_total'),
  };
}

/** `412 batches, 9.3 events and 14.1 ms each on average`: the batches between two readings. */
export function describeBatches(before: BatchTotals, after: BatchTotals): string {
  const batches = after.batches - before.batches;
  if (batches === 0) return 'no batches';
  const events = (after.events - before.events) / batches;
  const ms = (1000 * (after.seconds - before.seconds)) / batches;
  const repairs = after.lateRepairs - before.lateRepairs;
  return (
    `${batches} batches, ${events.toFixed(1)} events and ${ms.toFixed(1)} ms each on average` +
    (repairs > 0 ? `, ${repairs} late repairs` : '')
  );
}
