import { DynamicModule, InjectionToken, Module, ModuleMetadata } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HEALTH_OPTIONS, HealthSettings, READINESS_CHECKS } from './health.constants';
import { ReadinessCheck } from './readiness-check';
import { Readiness } from './readiness.service';
import { InternalHttpServer } from '../internal/internal-http-server';

export interface HealthModuleOptions {
  imports?: ModuleMetadata['imports'];
  /** Providers passed, in order, to `checks`. */
  inject?: InjectionToken[];
  /** Builds the readiness checks from injected services. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors Nest's useFactory
  checks: (...deps: any[]) => ReadinessCheck[];
  checkTimeoutMs?: number;
}

/**
 * GET /health/live and GET /health/ready (both public, status only), and the internal port's
 * server (InternalHttpServer: metrics and readiness details), started by bootstrapService.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    const settings: HealthSettings = {
      checkTimeoutMs: options.checkTimeoutMs ?? 3000,
    };
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        {
          provide: READINESS_CHECKS,
          inject: options.inject ?? [],
          useFactory: options.checks,
        },
        { provide: HEALTH_OPTIONS, useValue: settings },
        Readiness,
        InternalHttpServer,
      ],
      exports: [Readiness, InternalHttpServer],
    };
  }
}
