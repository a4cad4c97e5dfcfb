import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { DEFAULT_QUIET_PATHS, LoggingOptions, pinoOptions } from './pino-options';
import { QUIET_PATHS, REQUEST_LOGGER, RequestLogHook } from './request-log.hook';

/**
 * JSON logs through pino; every line carries service, correlationId, traceId and spanId.
 * nestjs-pino gives Nest's Logger that pino instance; the request line is RequestLogHook's.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const logger = options.destination ? pino(pinoOptions(options), options.destination) : pino(pinoOptions(options));
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { logger },
          // No Nest middleware (it would bring @fastify/middie's chain to every request): the
          // request line and its context come from Fastify hooks.
          forRoutes: [],
        }),
      ],
      providers: [
        { provide: REQUEST_LOGGER, useValue: logger },
        { provide: QUIET_PATHS, useValue: new Set<string>(options.quietPaths ?? DEFAULT_QUIET_PATHS) },
        RequestLogHook,
      ],
      exports: [LoggerModule],
    };
  }
}
