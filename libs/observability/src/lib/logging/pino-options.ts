import { hostname } from 'node:os';
import pino from 'pino';
import { currentLogContext } from '../context/current-context';

export interface LoggingOptions {
  /** Service name, written as `service` on every line. */
  service: string;
  level: string;
  /** Human-readable output for local development (needs the pino-pretty dev dependency). */
  pretty?: boolean;
  /** Paths whose requests are not logged (probes and scrapes would drown everything else). */
  quietPaths?: readonly string[];
  /** Where lines go; stdout when omitted (tests pass a stream to read them). */
  destination?: pino.DestinationStream;
}

export const DEFAULT_QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'] as const;

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

/** The service's pino options: JSON lines with the service and the current request or message context. */
export function pinoOptions(options: LoggingOptions): pino.LoggerOptions {
  return {
    level: options.level,
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // A line's own fields (the request line's context) win over the mixin's.
    mixin: () => ({ ...currentLogContext() }),
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    transport: options.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
}
