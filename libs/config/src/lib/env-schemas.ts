import { z } from 'zod';

/** Reusable zod pieces for environment variables (which always arrive as strings). */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'test', 'production'] as const;

export const envNodeEnv = () => z.enum(NODE_ENVS);

export const envLogLevel = () => z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` });

/** A TCP port, 1..65535. */
export const envPort = () =>
  z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'));

/** "true/false", "1/0", "yes/no", "on/off" (any case); anything else is an error, not false. */
export const envBoolean = () =>
  z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(
      z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
        error: 'must be true or false',
      }),
    )
    .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** A duration in milliseconds: "1500", "1500ms", "30s", "5m", "1h". */
export const envDurationMs = () =>
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h)?\s*$/, 'must be a duration such as 1500, 1500ms, 30s, 5m or 1h')
    .transform((value) => {
      const [, amount, unit = 'ms'] = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value) ?? [];
      return Math.round(Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS]);
    });

/** A URL whose protocol is one of `protocols` (without the colon), e.g. envUrl(['postgresql', 'postgres']). */
export const envUrl = (protocols: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    },
  );

/** A PEM block (literal `\n` accepted, as .env files and Secrets often carry them). */
export const envPem = () =>
  z
    .string()
    .transform((value) => value.replace(/\\n/g, '\n').trim())
    .refine((value) => /^-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----$/.test(value), 'must be a PEM block');
