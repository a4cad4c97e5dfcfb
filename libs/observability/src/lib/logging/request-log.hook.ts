import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pino from 'pino';
import { requestLogContext } from '../context/request-context.hooks';
import { loggableUrl } from './loggable-url';

export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');
export const QUIET_PATHS = Symbol('QUIET_PATHS');

/**
 * One line per HTTP request, written by a Fastify onResponse hook (not pino-http as Nest
 * middleware: its child logger per request serialised and redacted the request even when the
 * line was not written). The line has the fields pino-http gave it: `req` (id, method, the
 * loggable URL, remote address, user agent), `res.statusCode`, `responseTime` (ms), and the
 * request's correlation id and trace. Nothing is built when the level would not be written.
 */
@Injectable()
export class RequestLogHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(REQUEST_LOGGER) private readonly logger: pino.Logger,
    @Inject(QUIET_PATHS) private readonly quietPaths: ReadonlySet<string>,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    adapter.getInstance<FastifyInstance>().addHook('onResponse', (request, reply, done) => {
      this.log(request, reply);
      done();
    });
  }

  private log(request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!this.logger.isLevelEnabled(level)) return;
    const url = request.raw.url ?? request.url;
    if (this.quietPaths.has(pathOf(url))) return;
    const raw = request.raw;
    this.logger[level](
      {
        ...requestLogContext(raw),
        req: {
          id: request.id,
          method: request.method,
          url: loggableUrl(request.is404 ? undefined : request.routeOptions.url, url),
          remoteAddress: raw.socket?.remoteAddress,
          userAgent: request.headers['user-agent'],
        },
        res: { statusCode: status },
        responseTime: Math.round(reply.elapsedTime),
      },
      status >= 500 ? 'request errored' : 'request completed',
    );
  }
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
