import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { ReadinessChecks } from './readiness-checks';

/** GET /health and GET /health/ready; global so any module can register a readiness check. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [ReadinessChecks],
  exports: [ReadinessChecks],
})
export class HealthModule {}
