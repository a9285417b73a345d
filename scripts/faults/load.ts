import { randomUUID } from 'node:crypto';
import { SessionEvent } from '@app/domain';
import { SendFailedError, SessionEmitter } from '@app/emitter';
import { Producer } from 'kafkajs';
import { realisticHistory } from '../../test/factories/session-events';
import { sleep } from './tally';

export interface LoadOptions {
  workers: number;
  /** Share of records that are poison (not an event at all), e.g. 0.01. */
  poisonRate?: number;
  /** A pause between one worker's events, so the load stays within what a shared machine gives. */
  pauseMs?: number;
}

/**
 * Agent runtimes on the SDK: each worker emits whole session histories, one event at a time, and records an event as
 * acknowledged only once emit resolved. A send that fails is resent until it goes through, as the SDK asks.
 */
export class SdkLoad {
  readonly acknowledged: SessionEvent[] = [];
  readonly sessions: string[] = [];
  poisonSent = 0;
  sendFailures = 0;
  private running = false;
  private workers: Promise<void>[] = [];
  private records = 0;

  constructor(
    private readonly emitter: SessionEmitter,
    private readonly options: LoadOptions,
    private readonly poison?: { producer: Producer; topic: string },
  ) {}

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.options.workers }, (_unused, worker) => this.work(worker));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(worker: number): Promise<void> {
    while (this.running) {
      const sessionId = this.emitter.openSession(randomUUID());
      this.sessions.push(sessionId);
      for (const event of realisticHistory(sessionId, `user-${worker % 3}`)) {
        if (!this.running) break;
        this.acknowledged.push(await this.emitUntilAcknowledged(sessionId, event));
        await this.maybePoison(sessionId);
        await sleep(this.options.pauseMs ?? 20);
      }
      this.emitter.closeSession(sessionId);
    }
  }

  private async emitUntilAcknowledged(sessionId: string, event: SessionEvent): Promise<SessionEvent> {
    try {
      return await this.emitter.emit(sessionId, event.type, event.data);
    } catch (error) {
      if (!(error instanceof SendFailedError)) throw error;
      for (;;) {
        this.sendFailures += 1;
        try {
          await this.emitter.resend(error.event);
          return error.event;
        } catch (again) {
          if (!(again instanceof SendFailedError)) throw again;
          await sleep(500);
        }
      }
    }
  }

  private async maybePoison(sessionId: string): Promise<void> {
    this.records += 1;
    const rate = this.options.poisonRate ?? 0;
    if (!this.poison || rate <= 0 || this.records % Math.round(1 / rate) !== 0) return;
    // Not JSON at all, keyed to a live session: it must be dead-lettered without holding that session back.
    await this.poison.producer.send({
      topic: this.poison.topic,
      acks: -1,
      messages: [{ key: sessionId, value: `{"poison": ${this.records}` }],
    });
    this.poisonSent += 1;
  }
}
