import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { NotRateLimited, Public } from '../public.decorator';
import {
  HEALTH_OPTIONS,
  HealthSettings,
  READINESS_CHECKS,
} from './health.constants';
import { ReadinessCheck } from './readiness-check';

@Public()
@NotRateLimited()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(HEALTH_OPTIONS) private readonly settings: HealthSettings,
  ) {}

  /** Liveness: the process answers. Never checks dependencies, or an outage would restart every pod. */
  @Get('live')
  live() {
    return this.health.check([]);
  }

  /** Readiness: every dependency answers; 503 with details otherwise. */
  @Get('ready')
  ready() {
    return this.health.check(
      this.checks.map(
        ({ name, check }) =>
          () =>
            this.indicators
              .check(name)
              .attempt(async ({ signal }) => check(signal))
              .withTimeout(this.settings.checkTimeoutMs),
      ),
    );
  }
}
