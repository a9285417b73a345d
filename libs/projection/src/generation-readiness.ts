import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { ReadinessChecks } from '@app/http';
import { ViewGenerations } from '@app/ports';
import { writableActiveStore } from './active-generation';

/**
 * A projector is not ready while the active generation was built by another fold version or shape: it would refuse
 * every batch. The check's failure says "rebuild required" and names the command.
 */
@Injectable()
export class GenerationReadiness implements OnModuleInit {
  constructor(
    private readonly generations: ViewGenerations,
    // An explicit token: the metadata of an optional parameter's type is Object.
    @Optional() @Inject(ReadinessChecks) private readonly readiness?: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('view-generation', async () => {
      await writableActiveStore(this.generations);
    });
  }
}
