import cors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { installVersionEtags } from '@crm/service-kit';
import type { AppConfig } from '../app.config';
import { serializeReply } from '../edge/relayed-json';
import { bindIdempotency } from './idempotency/bind-idempotency';

/** Where the Swagger UI is served; the only pages a browser renders, so the only ones allowed scripts and styles. */
export const DOCS_PATH = '/docs';

/** Response headers a browser script may read on a cross-origin response. */
export const EXPOSED_HEADERS = [
  'x-correlation-id',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'idempotent-replayed',
  'location',
  'etag',
];

// The API answers JSON only: nothing may be loaded or framed (OWASP REST Security cheat sheet).
const API_CSP = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };
// Swagger UI: its own bundle plus an inline <style> and init script, images as data: URIs.
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-inline'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Fastify server options of the gateway; main.ts and the test context both create the adapter with them. */
export function httpServerOptions(config: AppConfig): FastifyServerOptions {
  return {
    bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
    // request.ip (rate limits, login throttle) is the X-Forwarded-For address only when the
    // request comes from a configured proxy; otherwise the socket's, whatever the client claims.
    trustProxy: config.GATEWAY_TRUSTED_PROXIES.length > 0 ? [...config.GATEWAY_TRUSTED_PROXIES] : false,
  };
}

/**
 * The gateway's HTTP setup beyond Nest modules: security headers, CORS, and the reply handling
 * that is Fastify's rather than Nest interceptors' (relayed JSON, ETags, Idempotency-Key on the
 * routes that take one), so that a GET's reply never goes through rxjs. Called by main.ts
 * (through bootstrapService) and by the test context, before the routes are registered, so tests
 * see the app exactly as deployed.
 */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const apiHeaders = securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: API_CSP } });
  const docsHeaders = securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } });
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify sends a Buffer the serializer returns as it is; its type only names strings.
  fastify.setReplySerializer(serializeReply as (payload: unknown) => string);
  installVersionEtags(fastify);
  bindIdempotency(app);
  fastify
    .addHook('onRequest', (request, reply, done) => {
      void reply.headers(isDocsPath(request.url) ? docsHeaders : apiHeaders);
      done();
    });
  if (config.GATEWAY_CORS_ORIGINS.length > 0) {
    await app.register(cors, {
      origin: config.GATEWAY_CORS_ORIGINS,
      credentials: config.GATEWAY_CORS_CREDENTIALS,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
}

/**
 * The headers helmet sets for `options`, computed once: they depend on nothing in the request,
 * and running helmet's middleware on every request cost ~4% of the gateway's CPU.
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

function isDocsPath(url: string): boolean {
  return url === DOCS_PATH || url.startsWith(`${DOCS_PATH}/`) || url.startsWith(`${DOCS_PATH}?`);
}
