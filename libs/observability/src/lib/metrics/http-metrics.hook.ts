import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { httpRequestDuration } from './http-metrics';

/** Times every HTTP request, including 404s and requests rejected by guards, with a Fastify onResponse hook. */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const histogram = httpRequestDuration();
    const fastify = adapter.getInstance<FastifyInstance>();
    // Callback style: an async hook would cost a promise on every request.
    fastify.addHook('onResponse', (request, reply, done) => {
      histogram.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}
