/** The most memory a phase held at once: resident set (what the OS sees) and V8's used heap. */
export interface MemoryPeak {
  rssBytes: number;
  heapUsedBytes: number;
}

/** Often enough to see the peak of a batch, rare enough that sampling costs nothing measurable. */
const SAMPLE_INTERVAL_MS = 20;

/**
 * Samples memory on a timer while a phase runs. A synchronous loop starves the timer, so such loops also call
 * `sampleIfDue` as they go; it samples at most once per interval.
 */
export class MemoryWatch {
  private readonly peak: MemoryPeak = { rssBytes: 0, heapUsedBytes: 0 };
  private readonly timer: NodeJS.Timeout;
  private lastSampleMs = 0;

  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS).unref();
  }

  sampleIfDue(): void {
    if (performance.now() - this.lastSampleMs >= SAMPLE_INTERVAL_MS) this.sample();
  }

  stop(): MemoryPeak {
    clearInterval(this.timer);
    this.sample();
    return { ...this.peak };
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.lastSampleMs = performance.now();
    this.peak.rssBytes = Math.max(this.peak.rssBytes, rss);
    this.peak.heapUsedBytes = Math.max(this.peak.heapUsedBytes, heapUsed);
  }
}

/** The peak of several phases taken together. */
export function highestPeak(peaks: readonly MemoryPeak[]): MemoryPeak {
  return {
    rssBytes: Math.max(...peaks.map((peak) => peak.rssBytes)),
    heapUsedBytes: Math.max(...peaks.map((peak) => peak.heapUsedBytes)),
  };
}

/** The highest resident set this process has had since it started, as the OS counted it. */
export function processPeakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Collects garbage when the process runs with --expose-gc, so a phase's heap peak starts from live data. */
export function collectGarbage(): void {
  globalThis.gc?.();
}
