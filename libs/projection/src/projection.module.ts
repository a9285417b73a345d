import { Module } from '@nestjs/common';
import { GenerationReadiness } from './generation-readiness';
import { ProjectionEngine } from './projection-engine';
import { ProjectorMetrics } from './projector-metrics';

/**
 * Needs the ports (EventArchive, ViewGenerations, ChangeFeed, DeadLetterSink) and a prom-client `Registry` from the
 * importing app's runtime and metrics modules. With the HealthModule's ReadinessChecks, readiness also asks whether
 * the active generation can be written (see GenerationReadiness).
 */
@Module({
  providers: [ProjectionEngine, ProjectorMetrics, GenerationReadiness],
  exports: [ProjectionEngine, ProjectorMetrics],
})
export class ProjectionModule {}
