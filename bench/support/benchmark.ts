import { MemoryPeak } from './memory';

/** Sizes given on the command line; a benchmark uses its own default for any left out. */
export interface BenchSizes {
  events?: number;
  sessions?: number;
  requests?: number;
}

/** The best the underlying machinery does with the same work, measured in the same run and in the same unit. */
export interface Ceiling {
  name: string;
  value: number;
}

/** A target for a figure's ratio to its ceiling, printed beside the ratio with whether it was met. */
export type Goal =
  | {
      ratio: number;
      /** 'at least' for rates (higher is better), 'at most' for latencies. */
      direction: 'at least' | 'at most';
    }
  /**
   * A latency at most `margin` (in the figure's unit) above its ceiling: where the ceiling is a few milliseconds,
   * a ratio would demand the impossible of work the ceiling does not do at all (HTTP, a projection).
   */
  | { margin: number };

export interface Figure {
  name: string;
  value: number;
  unit: string;
  ceiling?: Ceiling;
  goal?: Goal;
  /** Peak memory while the figure's phase ran. */
  memory: MemoryPeak;
  /** What a reader needs to weigh the figure, such as a sample count cut short by a time budget. */
  note?: string;
}

export interface BenchContext {
  sizes: BenchSizes;
  /** Prints the figure at once, so a long run shows results as they come, and keeps it for the summary. */
  record(figure: Figure): void;
}

export interface Benchmark {
  name: string;
  /** What is measured against which ceiling, and the default sizes; shown by --help. */
  description: string;
  run(context: BenchContext): Promise<void>;
}

/** The figure divided by its ceiling: below 1 for rates that fall short of it, above 1 for slower latencies. */
export function ratioOf(figure: Figure): number | undefined {
  return figure.ceiling ? figure.value / figure.ceiling.value : undefined;
}

/** Whether the figure's ratio meets its goal; undefined without a goal or a ceiling. */
export function goalMet(figure: Figure): boolean | undefined {
  const ratio = ratioOf(figure);
  if (figure.goal === undefined || ratio === undefined) return undefined;
  if ('margin' in figure.goal) return figure.value <= figure.ceiling!.value + figure.goal.margin;
  return figure.goal.direction === 'at least' ? ratio >= figure.goal.ratio : ratio <= figure.goal.ratio;
}
