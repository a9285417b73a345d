import { collectGarbage, highestPeak, MemoryPeak, MemoryWatch } from './memory';
import { formatFigure } from './format';
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

export interface Phase {
  spec: PhaseSpec;
  work: (advance: Advance) => unknown;
}

/**
 * Measures the phases in alternating rounds (A, B, A, B, ...) and keeps each phase's median round: load from
 * elsewhere on a shared machine falls on all of them alike, and one slow round moves nothing.
 */
export async function measureAlternating(rounds: number, phases: readonly Phase[]): Promise<Measured[]> {
  const runs: Measured[][] = phases.map(() => []);
  for (let round = 1; round <= rounds; round += 1) {
    for (const [index, { spec, work }] of phases.entries()) {
      runs[index].push(await measure({ ...spec, label: `${spec.label} (round ${round}/${rounds})` }, work));
    }
  }
  return runs.map((phaseRuns) => ({
    seconds: [...phaseRuns].sort((a, b) => a.seconds - b.seconds)[Math.floor(phaseRuns.length / 2)].seconds,
    memory: highestPeak(phaseRuns.map((run) => run.memory)),
  }));
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
 * Runs each of `works` up to `count` times, taking turns (A, B, A, B, ...) so that load from elsewhere falls on
 * all of them alike; resolves with each one's milliseconds, in ascending order.
 */
export async function timeInTurns(
  count: number,
  works: readonly (() => Promise<unknown>)[],
  { advance = () => undefined, budgetSeconds = Infinity }: TimeEachOptions = {},
): Promise<number[][]> {
  const samples: number[][] = works.map(() => []);
  const budgetStartedAt = process.hrtime.bigint();
  for (let run = 0; run < count && (run === 0 || secondsSince(budgetStartedAt) < budgetSeconds); run += 1) {
    for (const [index, work] of works.entries()) {
      const startedAt = process.hrtime.bigint();
      await work();
      samples[index].push(Number(process.hrtime.bigint() - startedAt) / 1e6);
    }
    advance(1);
  }
  return samples.map((own) => own.sort((a, b) => a - b));
}

/** The rate of the median run (by duration) of `total` items each, with the highest memory peak of all runs. */
export function medianRate(runs: readonly Measured[], total: number): { value: number; memory: MemoryPeak } {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return {
    value: total / sorted[Math.floor(sorted.length / 2)].seconds,
    memory: highestPeak(runs.map((run) => run.memory)),
  };
}

/** The slowest and the fastest run's rate, `12,000–14,500`: how far the rounds spread. */
export function rateSpread(runs: readonly Measured[], total: number): string {
  const rates = runs.map((run) => total / run.seconds).sort((a, b) => a - b);
  return `${formatFigure(rates[0])}–${formatFigure(rates[rates.length - 1])}`;
}
