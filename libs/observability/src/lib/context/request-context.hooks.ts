import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { CLS_ID, CLS_REQ, ClsService, ClsStore } from 'nestjs-cls';
import { CLS_CORRELATION_ID, CLS_TRACEPARENT, CORRELATION_ID_HEADER, TRACEPARENT_HEADER } from './context.constants';
import { correlationIdOf } from './correlation-id';
import { childTraceparent, parseTraceparent } from './traceparent';
import type { LogContextFields } from './current-context';

const STORE = Symbol.for('crm.observability.requestContext');

type WithStore = IncomingMessage & { [STORE]?: ClsStore };

/**
 * Opens each HTTP request's context (nestjs-cls) in Fastify hooks rather than Nest middleware:
 * middleware runs through @fastify/middie, whose chain cost more than the context itself. In
 * onRequest, the correlation id (the caller's, or a new one; echoed on the response), a child span
 * of the caller's trace and the raw request (CLS_REQ) go into a new context, in which the rest of
 * the request runs (Fastify's body parser keeps the context of the hook that started it).
 */
@Injectable()
export class RequestContextHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly cls: ClsService,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<FastifyInstance>();
    const cls = this.cls;
    fastify.addHook('onRequest', (request, reply, done) => {
      const correlationId = correlationIdOf(request.raw);
      void reply.header(CORRELATION_ID_HEADER, correlationId);
      // One store built at once (runWith) rather than four cls.set calls.
      const store: ClsStore = {
        [CLS_ID]: correlationId,
        [CLS_REQ]: request.raw,
        [CLS_CORRELATION_ID]: correlationId,
        [CLS_TRACEPARENT]: childTraceparent(firstHeader(request, TRACEPARENT_HEADER)),
      };
      (request.raw as WithStore)[STORE] = store;
      cls.runWith(store, done);
    });
  }
}

/** The context fields of a request for its log line, read from the request (the context may be gone by the time it ends). */
export function requestLogContext(raw: IncomingMessage): LogContextFields {
  const store = (raw as WithStore)[STORE] as Record<symbol, string | undefined> | undefined;
  if (!store) return {};
  const trace = parseTraceparent(store[CLS_TRACEPARENT]);
  return { correlationId: store[CLS_CORRELATION_ID], traceId: trace?.traceId, spanId: trace?.spanId };
}

function firstHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
