import { DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClsModule, ClsPluginBase, ClsService } from 'nestjs-cls';
import {
  CLS_CORRELATION_ID,
  CLS_TRACEPARENT,
  TRACEPARENT_HEADER,
} from './context.constants';
import { correlationIdOf } from './correlation-id';
import { RequestContext } from './request-context.service';
import { childTraceparent } from './traceparent';

export interface RequestContextModuleOptions {
  /** Extra nestjs-cls plugins (e.g. the transactional plugin), so an app has exactly one ClsModule.forRoot. */
  plugins?: ClsPluginBase[];
}

@Module({})
export class RequestContextModule {
  static forRoot(options: RequestContextModuleOptions = {}): DynamicModule {
    return {
      module: RequestContextModule,
      global: true,
      imports: [
        ClsModule.forRoot({
          global: true,
          plugins: options.plugins,
          // Middleware (not interceptor) so the context also covers other middleware, guards and the request log line.
          middleware: {
            mount: true,
            generateId: true,
            // No proxy providers here; resolving them costs a dynamic require() on every request.
            resolveProxyProviders: false,
            idGenerator: (req: IncomingMessage) => correlationIdOf(req),
            setup: (
              cls: ClsService,
              req: IncomingMessage,
              res: ServerResponse,
            ) => {
              cls.set(CLS_CORRELATION_ID, correlationIdOf(req, res));
              cls.set(
                CLS_TRACEPARENT,
                childTraceparent(firstHeader(req, TRACEPARENT_HEADER)),
              );
            },
          },
        }),
      ],
      providers: [RequestContext],
      exports: [RequestContext],
    };
  }
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
