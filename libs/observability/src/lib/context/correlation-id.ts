import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_ID_HEADER } from './context.constants';

// Bounded charset/length: the id ends up in every log line and in response headers.
const ACCEPTED_CORRELATION_ID = /^[\w.:@/-]{1,128}$/;
const CORRELATION_ID = Symbol('correlationId');

type RequestWithCorrelationId = IncomingMessage & { [CORRELATION_ID]?: string };

/**
 * The request's correlation id: the caller's `x-correlation-id` if acceptable, else a new uuid.
 * Memoised on the request so the context middleware and the HTTP logger agree on one id,
 * whichever runs first; also echoed on the response.
 */
export function correlationIdOf(req: IncomingMessage, res?: ServerResponse): string {
  const request = req as RequestWithCorrelationId;
  if (!request[CORRELATION_ID]) {
    const incoming = req.headers[CORRELATION_ID_HEADER];
    const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
    request[CORRELATION_ID] = candidate && ACCEPTED_CORRELATION_ID.test(candidate) ? candidate : randomUUID();
  }
  if (res && !res.headersSent && !res.hasHeader(CORRELATION_ID_HEADER)) {
    res.setHeader(CORRELATION_ID_HEADER, request[CORRELATION_ID]);
  }
  return request[CORRELATION_ID];
}
