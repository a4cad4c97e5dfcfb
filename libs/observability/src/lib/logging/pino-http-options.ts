import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import type { Options } from 'pino-http';
import { correlationIdOf } from '../context/correlation-id';
import { currentLogContext } from '../context/current-context';
import { loggableUrl } from './loggable-url';

export interface LoggingOptions {
  /** Service name, written as `service` on every line. */
  service: string;
  level: string;
  /** Human-readable output for local development (needs the pino-pretty dev dependency). */
  pretty?: boolean;
  /** Paths whose successful requests are not logged (probes and scrapes would drown everything else). */
  quietPaths?: readonly string[];
  /** Where lines go; stdout when omitted (tests pass a stream to read them). */
  destination?: pino.DestinationStream;
}

export const DEFAULT_QUIET_PATHS = [
  '/health/live',
  '/health/ready',
  '/metrics',
] as const;

// Secrets must never reach log storage.
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.*.password',
  'passwordHash',
  '*.passwordHash',
  'refreshToken',
  '*.refreshToken',
];

export function pinoHttpOptions(options: LoggingOptions): Options {
  const quietPaths = new Set<string>(options.quietPaths ?? DEFAULT_QUIET_PATHS);
  return {
    level: options.level,
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => ({ ...currentLogContext() }),
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    // pino-http binds the request to a child logger on every request, serialising it there and
    // then: a few fields instead of every header keeps that cheap (and credentials out).
    serializers: { req: slimRequest },
    genReqId: (req: IncomingMessage, res: ServerResponse) =>
      correlationIdOf(req, res),
    // originalUrl: Nest's middleware runner may have rewritten req.url to '/' by then.
    autoLogging: {
      ignore: (req) =>
        quietPaths.has(
          pathOf(req as IncomingMessage & { originalUrl?: string }),
        ),
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500
        ? 'error'
        : res.statusCode >= 400
          ? 'warn'
          : 'info',
    transport: options.pretty
      ? { target: 'pino-pretty', options: { singleLine: true } }
      : undefined,
  };
}

interface SerializedRequest {
  id: unknown;
  raw?: IncomingMessage;
  method: string;
  url: string;
  remoteAddress?: string;
  headers: Record<string, string | string[] | undefined>;
}

function slimRequest(req: SerializedRequest) {
  return { id: req.id, method: req.method, url: loggableUrl(req.raw, req.url), remoteAddress: req.remoteAddress, userAgent: req.headers['user-agent'] };
}

function pathOf(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}
