import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiError, ApiErrorCode } from '@app/http';
import {
  currentViewStamp,
  DeadLetterQuery,
  DeadLetterSink,
  isCurrentStamp,
  ViewGenerations,
  ViewStamp,
} from '@app/ports';
import { ProjectionEngine } from '@app/projection';
import { DeadLetterRedrive, RecoveryMetrics, RedriveError, RedriveErrorCode } from '@app/recovery';
import { Registry } from 'prom-client';
import { DeadLetterBody, deadLetterBody } from './dead-letter-body';

/** The CLI command that re-drives where this process cannot. */
export const REDRIVE_COMMAND = 'npm run cli -- redrive';

export interface RedriveBody {
  id: string;
  outcome: string;
  reasons: string[];
}

type StampBody = { fold_version: number; shape: string } | null;

export interface GenerationsBody {
  active: string;
  current_stamp: StampBody;
  generations: { name: string; active: boolean; stamp: StampBody; current: boolean }[];
}

const stampBody = (stamp: ViewStamp | null): StampBody =>
  stamp === null ? null : { fold_version: stamp.foldVersion, shape: stamp.shape };

/** What the operators' routes do, on the ports of the process's profile. */
@Injectable()
export class OperationsService implements OnModuleInit {
  private redriver?: DeadLetterRedrive;

  constructor(
    private readonly sink: DeadLetterSink,
    private readonly generations: ViewGenerations,
    private readonly registry: Registry,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * A re-drive runs through the projection engine, the projector's own code path: only a process that runs a
   * projector has one (the embedded store does; the production query API does not, and gets no second engine
   * here, as a read replica that writes views would blur what scales how).
   */
  onModuleInit(): void {
    let engine: ProjectionEngine;
    try {
      engine = this.moduleRef.get(ProjectionEngine, { strict: false });
    } catch {
      return;
    }
    this.redriver = new DeadLetterRedrive(this.sink, engine, new RecoveryMetrics(this.registry));
  }

  async deadLetters(query: DeadLetterQuery): Promise<{ dead_letters: DeadLetterBody[] }> {
    return { dead_letters: (await this.sink.list(query)).map(deadLetterBody) };
  }

  async deadLetter(id: string): Promise<DeadLetterBody> {
    const letter = await this.sink.show(id);
    if (!letter) throw new ApiError(ApiErrorCode.NotFound, `No dead letter ${id}`);
    return deadLetterBody(letter);
  }

  async redrive(id: string): Promise<RedriveBody> {
    if (!this.redriver) {
      throw new ApiError(
        ApiErrorCode.Conflict,
        `This process runs no projector, so it cannot re-drive: run \`${REDRIVE_COMMAND} ${id}\` where the ports are configured`,
      );
    }
    try {
      const { outcome, reasons } = await this.redriver.redrive(id);
      return { id, outcome, reasons };
    } catch (error) {
      if (!(error instanceof RedriveError)) throw error;
      const code = error.code === RedriveErrorCode.NotFound ? ApiErrorCode.NotFound : ApiErrorCode.Conflict;
      throw new ApiError(code, error.message);
    }
  }

  async viewGenerations(): Promise<GenerationsBody> {
    const active = await this.generations.active();
    const names = await this.generations.list();
    const stamps = await Promise.all(names.map((name) => this.generations.stamp(name)));
    return {
      active,
      current_stamp: stampBody(currentViewStamp()),
      generations: names.map((name, index) => ({
        name,
        active: name === active,
        stamp: stampBody(stamps[index]),
        current: isCurrentStamp(stamps[index]),
      })),
    };
  }
}
