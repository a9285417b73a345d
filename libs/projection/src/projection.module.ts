import { Module } from '@nestjs/common';
import { ProjectionEngine } from './projection-engine';
import { ProjectorMetrics } from './projector-metrics';

/**
 * Needs the ports (EventArchive, ViewGenerations, ChangeFeed, DeadLetterSink) and a prom-client `Registry` from the
 * importing app's runtime and metrics modules.
 */
@Module({
  providers: [ProjectionEngine, ProjectorMetrics],
  exports: [ProjectionEngine, ProjectorMetrics],
})
export class ProjectionModule {}
