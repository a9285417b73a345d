import { DeadLetterReason, DeadLetterSink, StoredDeadLetter } from '@app/ports';
import { ProjectionEngine } from '@app/projection';
import { RecoveryMetrics, RedriveOutcome } from './recovery-metrics';

export enum RedriveErrorCode {
  NotFound = 'not_found',
  AlreadyRedriven = 'already_redriven',
}

export class RedriveError extends Error {
  constructor(
    readonly code: RedriveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = RedriveError.name;
  }
}

export interface RedriveResult {
  letter: StoredDeadLetter;
  outcome: RedriveOutcome;
  /** Why it failed again; empty when it was projected. Each such failure is a new dead letter. */
  reasons: DeadLetterReason[];
}

/**
 * Sends a dead letter back through the projection engine, the projector's own code path, once the cause has been
 * fixed (the code, or what the event depended on). A letter that fails again is dead-lettered again by the engine,
 * as a new letter with its new reason; the re-driven one is marked so it leaves the default listing. Running it
 * beside the live projector is safe for the reason redelivery is: the archive is idempotent and view writes are
 * version-guarded.
 */
export class DeadLetterRedrive {
  constructor(
    private readonly sink: DeadLetterSink,
    private readonly engine: ProjectionEngine,
    private readonly metrics: RecoveryMetrics,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async redrive(id: string): Promise<RedriveResult> {
    const letter = await this.sink.show(id);
    if (!letter) throw new RedriveError(RedriveErrorCode.NotFound, `no dead letter ${id}`);
    if (letter.redrivenAt !== undefined) {
      throw new RedriveError(
        RedriveErrorCode.AlreadyRedriven,
        `dead letter ${id} was re-driven at ${letter.redrivenAt}; a failure then is a letter of its own`,
      );
    }
    // The original source stays on the record, so a letter born of this attempt says where the event came from.
    const report = await this.engine.process([
      { key: letter.key, value: letter.payload, source: letter.source },
    ]);
    // Marked only after the engine acknowledged everything: a crash in between leaves it listed, and a second
    // re-drive is harmless (a duplicate, or the same failure again).
    await this.sink.markRedriven(id, this.clock());
    const reasons = (Object.entries(report.deadLettered) as [DeadLetterReason, number][])
      .filter(([, count]) => count > 0)
      .map(([reason]) => reason);
    const outcome: RedriveOutcome = reasons.length > 0 ? 'dead_lettered_again' : 'projected';
    this.metrics.redrove(outcome);
    return { letter: { ...letter, redrivenAt: this.clock().toISOString() }, outcome, reasons };
  }
}
