import { formatCount } from './format';

/** A terminal gets a line redrawn in place; a log file gets a line now and then, so it stays readable. */
const REDRAW_INTERVAL_MS = 200;
const LOG_INTERVAL_MS = 5000;

/** Progress of a long phase on stderr, so that the figures on stdout stay clean. */
export class Progress {
  private readonly startedMs = performance.now();
  private readonly interactive = process.stderr.isTTY === true;
  private done = 0;
  private lastPrintMs = this.startedMs;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit: string,
  ) {}

  advance(count: number): void {
    this.done += count;
    const now = performance.now();
    if (now - this.lastPrintMs < (this.interactive ? REDRAW_INTERVAL_MS : LOG_INTERVAL_MS)) return;
    this.lastPrintMs = now;
    this.print(now);
  }

  finish(): void {
    if (this.interactive) process.stderr.write('\r\x1b[2K');
  }

  private print(now: number): void {
    const seconds = (now - this.startedMs) / 1000;
    const percent = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 100;
    const line =
      `  ${this.label}: ${formatCount(this.done)}/${formatCount(this.total)} ${this.unit} (${percent} %), ` +
      `${formatCount(this.done / seconds)} ${this.unit}/s, ${seconds.toFixed(0)} s`;
    process.stderr.write(this.interactive ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}
