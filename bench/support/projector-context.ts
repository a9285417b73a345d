import { AppConfig, ConfigModule } from '@app/config';
import { ProjectionModule } from '@app/projection';
import { RuntimeModule } from '@app/runtime';
import { Global, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';

/** The registry ProjectorMetrics writes to; the apps' MetricsModule also serves it over HTTP, which is not needed. */
@Global()
@Module({ providers: [{ provide: Registry, useFactory: () => new Registry() }], exports: [Registry] })
class MetricsRegistryModule {}

/**
 * The ports of `config`'s profile and the ProjectionEngine over them, wired by the modules the apps use, with
 * nothing started: the benchmark drives the engine (through the log tailer or the Kafka consumer) itself.
 */
export function startProjectorContext(config: AppConfig): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    {
      module: class ProjectorBenchModule {},
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule.forRoot(config),
        MetricsRegistryModule,
        ProjectionModule,
      ],
    },
    { logger: ['fatal', 'error', 'warn'] },
  );
}
