import { Module } from '@nestjs/common';
import { FreshnessReadiness } from './freshness-readiness';
import { ProjectionWatcher } from './projection-watcher';
import { ReadAfterPositionPipe } from './read-after-position';

/**
 * The query API's view of the projection's progress: the watcher, the pipe of `@ReadAfterPosition()` routes, and a
 * `projection-lag` readiness check. Needs the AppliedPositions and LogHead ports (from the RuntimeModule).
 */
@Module({
  providers: [ProjectionWatcher, ReadAfterPositionPipe, FreshnessReadiness],
  exports: [ProjectionWatcher, ReadAfterPositionPipe],
})
export class FreshnessModule {}
