/** A snapshot of a long operation, reported after every page read. */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  elapsedSeconds: number;
  perSecond: number;
  /** Null until a rate is known. */
  remainingSeconds: number | null;
}

export type ProgressListener = (progress: Progress) => void;

export class ProgressTracker {
  private readonly startedAt = process.hrtime.bigint();
  private done = 0;

  constructor(
    private readonly phase: string,
    private readonly total: number,
    private readonly listener: ProgressListener = () => undefined,
  ) {}

  advance(count: number): void {
    this.done += count;
    const elapsedSeconds = Number(process.hrtime.bigint() - this.startedAt) / 1e9;
    const perSecond = elapsedSeconds > 0 ? this.done / elapsedSeconds : 0;
    this.listener({
      phase: this.phase,
      done: this.done,
      total: this.total,
      elapsedSeconds,
      perSecond,
      remainingSeconds: perSecond > 0 ? Math.max(0, this.total - this.done) / perSecond : null,
    });
  }
}
