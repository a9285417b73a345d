import { Injectable } from '@nestjs/common';

/** What the probe asked for beyond "answering" (`GET /health/ready?max_lag_ms=`). */
export interface ReadinessProbe {
  /** The most the projection may lag the log, in milliseconds. */
  maxLagMs?: number;
}

/** Resolves when the dependency can serve; throws (or times out) when it cannot. */
export type ReadinessCheck = (probe: ReadinessProbe) => Promise<void>;

export type CheckResult = 'ok' | `failed: ${string}`;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** A check that hangs must not hang the probe: past this it counts as failed. */
export const READINESS_CHECK_TIMEOUT_MS = 2000;

/**
 * The dependencies `GET /health/ready` asks: modules that own a connection (MongoDB, Kafka, SQLite) add a check
 * here at start-up, e.g. in `onModuleInit`.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`a readiness check named '${name}' is already registered`);
    this.checks.set(name, check);
  }

  async run(probe: ReadinessProbe = {}): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await outcome(() => check(probe))] as const),
    );
    return { ready: entries.every(([, result]) => result === 'ok'), checks: Object.fromEntries(entries) };
  }
}

async function outcome(check: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`)),
      READINESS_CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}
