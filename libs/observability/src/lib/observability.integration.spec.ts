import { Body, Controller, Get, Logger, Module, Param, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { createFastifyAdapter } from './bootstrap/create-fastify-adapter';
import { RequestContext } from './context/request-context.service';
import { RequestContextModule } from './context/request-context.module';
import { parseTraceparent } from './context/traceparent';
import { HealthController } from './health/health.controller';
import { HealthModule } from './health/health.module';
import { brokerCheck } from './health/readiness-check';
import { LoggingModule } from './logging/logging.module';
import { InternalHttpServer } from './internal/internal-http-server';
import { MetricsModule } from './metrics/metrics.module';
import { IS_PUBLIC_KEY, NOT_RATE_LIMITED_KEY } from './public.decorator';

const PARENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${PARENT_TRACE_ID}-00f067aa0ba902b7-01`;

type LogLine = Record<string, unknown> & { msg?: string };

/** Collects pino's JSON lines. */
class LogCapture extends Writable {
  readonly lines: LogLine[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as LogLine),
    );
    done();
  }
  find(msg: string): LogLine | undefined {
    return this.lines.find((line) => line.msg === msg);
  }
}

@Controller('probe')
class ProbeController {
  private readonly logger = new Logger(ProbeController.name);
  constructor(private readonly context: RequestContext) {}

  @Get()
  probe() {
    this.logger.log('handling probe');
    return {
      correlationId: this.context.correlationId,
      traceparent: this.context.traceparent,
    };
  }

  @Post()
  async echo(@Body() body: unknown) {
    // After an await, as a service call would be.
    await new Promise((resolve) => setImmediate(resolve));
    return { body, correlationId: this.context.correlationId };
  }

  @Get(':id/notes')
  notes(@Param('id') id: string) {
    return { id };
  }
}

describe('observability modules in a Fastify app', () => {
  const logs = new LogCapture();
  let brokerConnected = true;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let internalUrl: string;

  beforeAll(async () => {
    @Module({
      imports: [
        RequestContextModule.forRoot(),
        LoggingModule.forRoot({
          service: 'probe-service',
          level: 'info',
          destination: logs,
        }),
        MetricsModule.forRoot({ service: 'probe-service' }),
        HealthModule.forRoot({
          checks: () => [brokerCheck(() => brokerConnected)],
        }),
      ],
      controllers: [ProbeController],
    })
    class ProbeAppModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [ProbeAppModule],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { bufferLogs: true });
    app.useLogger(app.get(PinoNestLogger));
    // Real HTTP on a free port (not app.inject): what a client and a probe actually see.
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await app.getUrl();
    internalUrl = await app.get(InternalHttpServer).listen(0, '127.0.0.1');
  });

  async function get(path: string, headers: Record<string, string> = {}, base = baseUrl) {
    const res = await fetch(`${base}${path}`, { headers });
    const body = await res.text();
    // The request log line is written when the response finishes; let that callback run first.
    await new Promise((resolve) => setImmediate(resolve));
    return {
      statusCode: res.status,
      headers: Object.fromEntries(res.headers),
      body,
      json: <T = unknown>() => JSON.parse(body) as T,
    };
  }

  afterAll(() => app.close());
  beforeEach(() => logs.lines.splice(0));

  describe('request context and logs', () => {
    it('keeps the caller correlation id and continues its trace', async () => {
      const res = await get('/probe', {
        'x-correlation-id': 'corr-123',
        traceparent: PARENT,
        authorization: 'Bearer secret',
      });

      expect(res.statusCode).toBe(200);
      expect(res.headers['x-correlation-id']).toBe('corr-123');
      const body = res.json<{ correlationId: string; traceparent: string }>();
      expect(body.correlationId).toBe('corr-123');
      const span = parseTraceparent(body.traceparent);
      expect(span?.traceId).toBe(PARENT_TRACE_ID);
      expect(span?.spanId).not.toBe('00f067aa0ba902b7');

      expect(logs.find('request completed')).toMatchObject({
        req: { id: 'corr-123' },
      });
      for (const line of [logs.find('handling probe'), logs.find('request completed')]) {
        expect(line).toMatchObject({
          service: 'probe-service',
          correlationId: 'corr-123',
          traceId: PARENT_TRACE_ID,
          spanId: span?.spanId,
        });
      }
    });

    it('keeps the context across a request body that arrives after the headers', async () => {
      // Fastify reads a body on the socket's events: the context must be restored after it.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL('/probe', baseUrl);
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': '11', 'x-correlation-id': 'slow-body' },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.flushHeaders();
        req.write('{"a":');
        setTimeout(() => req.end('"xyz"}'), 100);
      });

      expect(answer.status).toBe(201);
      expect(JSON.parse(answer.body)).toEqual({ body: { a: 'xyz' }, correlationId: 'slow-body' });
    });

    it('generates a correlation id and a new trace when none arrive', async () => {
      const res = await get('/probe');

      const generated = res.headers['x-correlation-id'];
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json<{ correlationId: string }>().correlationId).toBe(generated);
      expect(logs.find('request completed')).toMatchObject({
        correlationId: generated,
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
    });

    it('keeps credentials out of request logs (the request line carries no headers but the user agent)', async () => {
      await get('/probe', {
        authorization: 'Bearer secret',
        cookie: 'sid=secret',
        'user-agent': 'probe-agent/1.0',
      });

      const completed = logs.find('request completed');
      expect(JSON.stringify(completed)).not.toContain('secret');
      expect(completed).toMatchObject({ req: { method: 'GET', url: '/probe', userAgent: 'probe-agent/1.0' } });
    });

    it('logs the route pattern and the query names, never the path values or the query values', async () => {
      await get('/probe/c0ffee-42/notes?q=jane.doe%40x.com&limit=5&flag');
      await get('/nowhere/jane.doe@x.com?q=jane.doe%40x.com');

      expect(JSON.stringify(logs.lines)).not.toMatch(/jane|doe|c0ffee/);
      const [matched, unmatched] = logs.lines.filter((line) => line.msg === 'request completed');
      expect(matched).toMatchObject({ req: { method: 'GET', url: '/probe/:id/notes?q=[REDACTED]&limit=[REDACTED]&flag=[REDACTED]' } });
      // No route: nothing tells which path segments are data, so none is logged.
      expect(unmatched).toMatchObject({ req: { url: '(no route)?q=[REDACTED]' }, res: { statusCode: 404 } });
    });

    it('adds the context to lines logged outside HTTP via RequestContext.run', () => {
      const context = app.get(RequestContext);
      context.run({ correlationId: 'from-message', traceparent: PARENT }, () => new Logger('Consumer').log('consumed'));

      expect(logs.find('consumed')).toMatchObject({
        correlationId: 'from-message',
        traceId: PARENT_TRACE_ID,
        spanId: '00f067aa0ba902b7',
      });
    });

    it('does not log probe and scrape requests', async () => {
      await get('/health/live');
      await get('/metrics');
      expect(logs.find('request completed')).toBeUndefined();
    });
  });

  describe('metrics', () => {
    it('serves Prometheus text with default and HTTP metrics labelled by service', async () => {
      await get('/probe');
      await get('/no-such-route');
      const res = await get('/metrics', {}, internalUrl);

      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toContain('process_cpu_user_seconds_total{service="probe-service"}');
      expect(res.body).toMatch(/http_request_duration_seconds_count\{[^}]*method="GET",route="\/probe",status_code="200"[^}]*\} \d+/);
      expect(res.body).toMatch(/http_request_duration_seconds_count\{[^}]*route="unmatched",status_code="404"/);
    });
  });

  describe('health', () => {
    it('answers liveness without checking dependencies', async () => {
      brokerConnected = false;
      const res = await get('/health/live');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok' });
    });

    it('is ready when every check passes, with each check on the internal port', async () => {
      brokerConnected = true;
      const res = await get('/health/ready', {}, internalUrl);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'ok',
        info: { rabbitmq: { status: 'up' } },
      });
    });

    it('answers 503 naming the failing check on the internal port', async () => {
      brokerConnected = false;
      const res = await get('/health/ready', {}, internalUrl);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'error',
        error: { rabbitmq: { status: 'down', message: 'not connected' } },
      });
    });

    it('answers the client port with the overall status only: no check names, hosts or errors', async () => {
      brokerConnected = true;
      const up = await get('/health/ready');
      expect({ status: up.statusCode, body: up.json() }).toEqual({ status: 200, body: { status: 'ok' } });
      brokerConnected = false;
      const down = await get('/health/ready');
      expect(down.statusCode).toBe(503);
      expect(down.body).not.toMatch(/rabbitmq|not connected/);
      expect(down.json()).toMatchObject({ status: 'error' });
    });
  });

  describe('the client port', () => {
    it('does not serve /metrics (404): metrics are on the internal port only', async () => {
      expect((await get('/metrics')).statusCode).toBe(404);
      expect((await get('/metrics', {}, internalUrl)).statusCode).toBe(200);
    });
  });

  it('runs no Nest middleware: context and request logs are Fastify hooks, and @fastify/middie is not registered', () => {
    expect(app.getHttpAdapter().getInstance().hasPlugin('@fastify/middie')).toBe(false);
  });

  it('marks the health controller public and exempt from rate limits', () => {
    const reflector = app.get(Reflector);
    expect(reflector.get(IS_PUBLIC_KEY, HealthController)).toBe(true);
    expect(reflector.get(NOT_RATE_LIMITED_KEY, HealthController)).toBe(true);
  });
});
