import {
  DynamicModule,
  InjectionToken,
  Module,
  ModuleMetadata,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import {
  HEALTH_OPTIONS,
  HealthSettings,
  READINESS_CHECKS,
} from './health.constants';
import { ReadinessCheck } from './readiness-check';

export interface HealthModuleOptions {
  imports?: ModuleMetadata['imports'];
  /** Providers passed, in order, to `checks`. */
  inject?: InjectionToken[];
  /** Builds the readiness checks from injected services. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors Nest's useFactory
  checks: (...deps: any[]) => ReadinessCheck[];
  checkTimeoutMs?: number;
}

/** GET /health/live and GET /health/ready (both public). */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    const settings: HealthSettings = {
      checkTimeoutMs: options.checkTimeoutMs ?? 3000,
    };
    return {
      module: HealthModule,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        ...(options.imports ?? []),
      ],
      controllers: [HealthController],
      providers: [
        {
          provide: READINESS_CHECKS,
          inject: options.inject ?? [],
          useFactory: options.checks,
        },
        { provide: HEALTH_OPTIONS, useValue: settings },
      ],
    };
  }
}
