import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { correlationIdOf } from '../context/correlation-id';

/**
 * A FastifyAdapter whose request id is the correlation id. Needed for consistent ids in logs:
 * @fastify/middie copies Fastify's request id onto the raw request, and pino-http keeps an existing one.
 */
export function createFastifyAdapter(
  options: FastifyServerOptions = {},
): FastifyAdapter {
  return new FastifyAdapter({
    ...options,
    genReqId: (req: IncomingMessage) => correlationIdOf(req),
  });
}
