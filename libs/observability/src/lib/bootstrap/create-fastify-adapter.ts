import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { correlationIdOf } from '../context/correlation-id';

/**
 * A FastifyAdapter whose request id (`request.id`, the request log line's `req.id`) is the
 * correlation id.
 */
export function createFastifyAdapter(options: FastifyServerOptions = {}): FastifyAdapter {
  return new FastifyAdapter({
    ...options,
    // No Nest middleware in any service (context and request logs are Fastify hooks), so no
    // @fastify/middie either: it would still run its hook, with an empty chain, on every request.
    skipMiddie: true,
    genReqId: (req: IncomingMessage) => correlationIdOf(req),
  });
}
