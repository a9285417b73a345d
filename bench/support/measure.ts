import { collectGarbage, MemoryPeak, MemoryWatch } from './memory';
import { Progress } from './progress';

export interface Measured {
  seconds: number;
  memory: MemoryPeak;
}

export interface PhaseSpec {
  /** Shown on the progress line. */
  label: string;
  /** How many `unit`s the phase will go through, for the progress line. */
  total: number;
  unit: string;
}

/** Reports how far a phase got; also samples memory, which a synchronous loop would otherwise starve. */
export type Advance = (count: number) => void;

/** Times one phase by the wall clock, with a progress line and a watch on its memory. */
export async function measure(spec: PhaseSpec, work: (advance: Advance) => unknown): Promise<Measured> {
  collectGarbage();
  const progress = new Progress(spec.label, spec.total, spec.unit);
  const watch = new MemoryWatch();
  const advance: Advance = (count) => {
    progress.advance(count);
    watch.sampleIfDue();
  };
  const startedAt = process.hrtime.bigint();
  let seconds = 0;
  let memory: MemoryPeak;
  try {
    await work(advance);
    seconds = secondsSince(startedAt);
  } finally {
    memory = watch.stop();
    progress.finish();
  }
  return { seconds, memory };
}

/** Runs a phase `rounds` times and keeps the median round: one slow round on a shared machine moves nothing. */
export async function measureMedian(
  rounds: number,
  spec: PhaseSpec,
  work: (advance: Advance) => unknown,
): Promise<Measured> {
  const runs: Measured[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    runs.push(await measure({ ...spec, label: `${spec.label} (round ${round}/${rounds})` }, work));
  }
  const median = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
  return {
    seconds: median.seconds,
    memory: {
      rssBytes: Math.max(...runs.map((run) => run.memory.rssBytes)),
      heapUsedBytes: Math.max(...runs.map((run) => run.memory.heapUsedBytes)),
    },
  };
}

export function secondsSince(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}

/** The nearest-rank percentile of samples sorted in ascending order. */
export function percentile(sortedSamples: readonly number[], percent: number): number {
  const rank = Math.ceil((percent / 100) * sortedSamples.length);
  return sortedSamples[Math.min(sortedSamples.length, Math.max(1, rank)) - 1];
}

export interface TimeEachOptions {
  advance?: Advance;
  /** Stop early once this many seconds are spent, so a slow store gives fewer samples instead of a long wait. */
  budgetSeconds?: number;
}

/**
 * Runs `work` up to `count` times one after another; resolves with each run's milliseconds, in ascending order.
 */
export async function timeEach(
  count: number,
  work: () => Promise<unknown>,
  { advance = () => undefined, budgetSeconds = Infinity }: TimeEachOptions = {},
): Promise<number[]> {
  const samples: number[] = [];
  const budgetStartedAt = process.hrtime.bigint();
  while (samples.length < count && (samples.length === 0 || secondsSince(budgetStartedAt) < budgetSeconds)) {
    const startedAt = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - startedAt) / 1e6);
    advance(1);
  }
  return samples.sort((a, b) => a - b);
}
