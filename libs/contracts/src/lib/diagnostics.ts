import { z } from 'zod';
import { defineQuery } from './define';

/**
 * Diagnostics messages every service answers: used by health probes and the request/reply
 * benchmark. `<service>` is filled in per service with `diagnosticsEcho(service)`.
 */
export const echoRequestSchema = z.object({ payload: z.string().max(64 * 1024) });
export const echoResponseSchema = z.object({ payload: z.string(), service: z.string() });

export function diagnosticsEcho(service: string) {
  return defineQuery(`${service}.diagnostics.echo`, 1, { request: echoRequestSchema, response: echoResponseSchema });
}
