import { setTimeout as sleep } from 'node:timers/promises';

const CHECK_INTERVAL_MS = 1000;

/**
 * Fails a phase that stops making progress, instead of letting a hung server hang the whole run. Call
 * `progressed` whenever work completes; `stalled` rejects once none has for `limitMs`.
 */
export class StallWatch {
  readonly stalled: Promise<never>;
  private lastProgressMs = performance.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(limitMs: number, what: string) {
    this.stalled = new Promise<never>((_, reject) => {
      this.timer = setInterval(() => {
        if (performance.now() - this.lastProgressMs < limitMs) return;
        this.stop();
        reject(new Error(`${what}: no progress for ${limitMs / 1000} s`));
      }, CHECK_INTERVAL_MS);
    });
    // A watch stopped before it fires must not surface as an unhandled rejection.
    this.stalled.catch(() => undefined);
  }

  progressed(): void {
    this.lastProgressMs = performance.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Cleanup that may hit the same hung server: it gets a bounded time, then the run moves on with a warning. */
export async function cleanUpWithin(
  limitMs: number,
  what: string,
  cleanup: () => Promise<unknown>,
): Promise<void> {
  const gaveUp = Symbol('gave up');
  const outcome = await Promise.race([
    cleanup().catch((error: unknown) => error),
    sleep(limitMs, gaveUp, { ref: false }),
  ]);
  if (outcome === gaveUp)
    console.warn(`  warning: ${what} did not finish within ${limitMs / 1000} s; left behind`);
  else if (outcome instanceof Error) console.warn(`  warning: ${what} failed: ${outcome.message}`);
}
