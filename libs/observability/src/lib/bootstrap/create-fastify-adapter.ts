import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { correlationIdOf } from '../context/correlation-id';
import { rememberRoutePattern } from '../logging/loggable-url';

/**
 * A FastifyAdapter whose request id is the correlation id, and whose requests carry their route
 * pattern for the request log line (see loggableUrl). Needed for consistent ids in logs:
 * @fastify/middie copies Fastify's request id onto the raw request, and pino-http keeps an existing one.
 */
export function createFastifyAdapter(
  options: FastifyServerOptions = {},
): FastifyAdapter {
  const adapter = new FastifyAdapter({
    ...options,
    genReqId: (req: IncomingMessage) => correlationIdOf(req),
  });
  // Fastify has matched the route by now; Nest's middleware (pino-http's request logger among
  // them) runs in a later onRequest hook and sees only the raw request: the pattern goes on it.
  adapter.getInstance().addHook('onRequest', (request, _reply, done) => {
    rememberRoutePattern(request.raw, request.is404 ? undefined : request.routeOptions.url);
    done();
  });
  return adapter;
}
