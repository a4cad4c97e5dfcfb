import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HEALTH_OPTIONS, HealthSettings, READINESS_CHECKS } from './health.constants';
import { ReadinessCheck } from './readiness-check';

/**
 * Runs every readiness check. Resolves with the details when all pass; rejects with terminus'
 * ServiceUnavailableException (its response: every check, with the failing ones' errors) otherwise.
 * The details (host names, error texts) are for the internal port only.
 */
@Injectable()
export class Readiness {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(HEALTH_OPTIONS) private readonly settings: HealthSettings,
  ) {}

  check(): Promise<HealthCheckResult> {
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

  /** Liveness: the process answers. Never checks dependencies, or an outage would restart every pod. */
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }
}
