import { ReadinessChecks } from '@app/http';
import { ViewGenerations } from '@app/ports';
import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';

/** The read API is ready when the view store answers: finding the active generation reads it, on any adapter. */
@Injectable()
export class ViewsReadiness implements OnModuleInit {
  constructor(
    private readonly generations: ViewGenerations,
    // An explicit token: the metadata of an optional parameter's type is Object.
    @Optional() @Inject(ReadinessChecks) private readonly readiness?: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('session-views', async () => {
      await this.generations.active();
    });
  }
}
