import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { LoggingOptions, pinoHttpOptions } from './pino-http-options';

/** JSON logs through pino; every line carries service, correlationId, traceId and spanId. */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: options.destination
            ? [pinoHttpOptions(options), options.destination]
            : pinoHttpOptions(options),
          // nestjs-pino's default route ('{/*splat}') matches nothing under Nest 12 + Fastify 5; this is the catch-all there.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
