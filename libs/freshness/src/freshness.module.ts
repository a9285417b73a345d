import { Module } from '@nestjs/common';
import { FreshnessMetrics } from './freshness-metrics';
import { FreshnessReadiness } from './freshness-readiness';
import { ProjectionWatcher } from './projection-watcher';
import { ReadAfterPositionPipe } from './read-after-position';

/**
 * The query API's view of the projection's progress: the watcher, the pipe of `@ReadAfterPosition()` routes, a
 * `projection-lag` readiness check and the `projection_lag_*` metrics (where a Registry is provided). Needs the AppliedPositions and LogHead ports (from the RuntimeModule).
 */
@Module({
  providers: [ProjectionWatcher, ReadAfterPositionPipe, FreshnessReadiness, FreshnessMetrics],
  exports: [ProjectionWatcher, ReadAfterPositionPipe],
})
export class FreshnessModule {}
