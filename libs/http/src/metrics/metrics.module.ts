import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';

/**
 * GET /metrics in Prometheus text format, with HTTP and process metrics. Global: inject prom-client's `Registry`
 * to add series (an app-owned registry rather than prom-client's default one, so two apps in one test process
 * never collide over a metric name).
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    HttpMetrics,
  ],
  exports: [Registry],
})
export class MetricsModule {}
