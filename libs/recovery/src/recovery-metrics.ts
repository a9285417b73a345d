import { Counter, Registry } from 'prom-client';

export type RedriveOutcome = 'projected' | 'dead_lettered_again';

/** Prometheus series of the operators' recovery operations, on the registry of the process that runs them. */
export class RecoveryMetrics {
  private readonly redriven: Counter<'outcome'>;
  private readonly reprojected: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.redriven = new Counter({
      name: 'dead_letters_redriven_total',
      help: 'Dead letters sent back through the projector, by what became of them',
      labelNames: ['outcome'],
      registers,
    });
    this.reprojected = new Counter({
      name: 'recovery_records_reprojected_total',
      help: 'Event-log records re-projected from the log by a recovery run',
      registers,
    });
  }

  redrove(outcome: RedriveOutcome): void {
    this.redriven.inc({ outcome });
  }

  reprojectedRecords(count: number): void {
    this.reprojected.inc(count);
  }
}
