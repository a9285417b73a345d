import { LONGEST_LAG_LIMIT_MS } from '@app/config';
import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Described } from '../validation/parameter-declarations';
import { OptionalInteger } from '../validation/input-rules';
import { Parameters } from '../validation/request-parameters';
import { ReadinessChecks } from './readiness-checks';

class ReadinessParams {
  @Described('Also fail while the projection lags the log by more than this many milliseconds.')
  @OptionalInteger({ min: 0, max: LONGEST_LAG_LIMIT_MS })
  max_lag_ms?: number;
}

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessChecks) {}

  /** Liveness: the process answers. Never depends on anything else, so a slow database does not restart it. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every registered dependency answers (and the projection keeps up); 503 otherwise, naming why. */
  @Get('ready')
  async ready(@Res() reply: FastifyReply, @Parameters() params: ReadinessParams): Promise<void> {
    const report = await this.readiness.run({ maxLagMs: params.max_lag_ms });
    await reply
      .status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  }
}
