import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';

/** A service's answer as the JSON text it arrived in (ServiceBus.relay), sent to the client unread. */
export class RelayedJson {
  constructor(readonly bytes: Buffer) {}
}

/**
 * Sends a RelayedJson as the response body with the JSON content type Fastify gives a serialized
 * object: to the client the route is no different from one that returns the object.
 */
@Injectable()
export class RelayedJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof RelayedJson)) return result;
        void context.switchToHttp().getResponse<FastifyReply>().type('application/json; charset=utf-8');
        return result.bytes;
      }),
    );
  }
}
