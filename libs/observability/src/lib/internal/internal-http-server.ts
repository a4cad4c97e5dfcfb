import { HttpException, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Fastify, { FastifyInstance, FastifyReply } from 'fastify';
import { Readiness } from '../health/readiness.service';
import { register } from '../metrics/metrics.registry';

/**
 * The service's internal HTTP port (INTERNAL_PORT): Prometheus' scrape at GET /metrics and the
 * probes with their details (GET /health/live, GET /health/ready: every check, its error). Never
 * exposed to clients: the client port answers /metrics with 404 and /health/ready with the status
 * only. A plain Fastify instance outside Nest: no guards, no rate limits, no request logs.
 */
@Injectable()
export class InternalHttpServer implements OnApplicationShutdown {
  private server?: FastifyInstance;

  constructor(private readonly readiness: Readiness) {}

  /** Starts listening; returns the URL (port 0: any free port). */
  async listen(port: number, host = '0.0.0.0'): Promise<string> {
    const server = Fastify({ logger: false });
    server.get('/metrics', async (_request, reply) => {
      void reply.header('content-type', register.contentType);
      return register.metrics();
    });
    server.get('/health/live', (_request, reply) => this.answer(reply, () => this.readiness.live()));
    server.get('/health/ready', (_request, reply) => this.answer(reply, () => this.readiness.check()));
    this.server = server;
    const address = await server.listen({ port, host });
    return address.replace('0.0.0.0', '127.0.0.1');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  private async answer(reply: FastifyReply, run: () => Promise<unknown>): Promise<unknown> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      return reply.code(error.getStatus()).send(error.getResponse());
    }
  }
}
