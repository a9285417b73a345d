import { AppConfig } from '@app/config';
import { ReadinessChecks } from '@app/http';
import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { ProjectionWatcher } from './projection-watcher';

/**
 * `/health/ready` fails while the projection is further behind the log than a limit: the probe's `max_lag_ms`, or
 * READINESS_MAX_LAG_MS (0 leaves lag out). A load balancer can then send reads to an instance whose projector keeps
 * up, while the instance itself stays alive.
 */
@Injectable()
export class FreshnessReadiness implements OnModuleInit {
  constructor(
    private readonly watcher: ProjectionWatcher,
    private readonly config: AppConfig,
    @Optional() @Inject(ReadinessChecks) private readonly readiness?: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('projection-lag', async ({ maxLagMs }) => {
      const limit = maxLagMs ?? (this.config.freshness.readinessMaxLagMs || undefined);
      if (limit === undefined) return;
      const { eventsBehind, msBehind } = this.watcher.current();
      if (msBehind > limit) {
        throw new Error(
          `the projection is ${eventsBehind} event(s) behind the log, the oldest waiting ${msBehind} ms, over the limit of ${limit} ms`,
        );
      }
    });
  }
}
