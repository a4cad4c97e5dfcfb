import { z } from 'zod';
import { ConfigError } from './config-error';
import { envBoolean, envDurationMs, envLogLevel, envPort, envUrl } from './env-schemas';
import { loadConfig } from './load-config';

const schema = z.object({
  PORT: envPort().default(3000),
  LOG_LEVEL: envLogLevel().default('info'),
  LOG_PRETTY: envBoolean().default(false),
  SHUTDOWN_TIMEOUT_MS: envDurationMs().default(10_000),
  DATABASE_URL: envUrl(['postgresql', 'postgres']),
});

describe('loadConfig', () => {
  const valid = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/crm' };

  it('applies defaults and returns typed values', () => {
    expect(loadConfig(schema, valid)).toEqual({
      PORT: 3000,
      LOG_LEVEL: 'info',
      LOG_PRETTY: false,
      SHUTDOWN_TIMEOUT_MS: 10_000,
      DATABASE_URL: valid.DATABASE_URL,
    });
  });

  it('returns a frozen object', () => {
    const config = loadConfig(schema, valid);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty strings as unset so defaults apply', () => {
    expect(loadConfig(schema, { ...valid, PORT: '' }).PORT).toBe(3000);
  });

  it('lists every bad or missing variable, one line each', () => {
    const error = captureError(() =>
      loadConfig(schema, {
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        LOG_PRETTY: 'maybe',
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => i.variable).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'LOG_PRETTY', 'PORT']);
    expect(error.message).toContain('DATABASE_URL: is required but not set');
    expect(error.message).toContain('PORT: must be a port number');
    expect(error.message).toContain('LOG_PRETTY: must be true or false');
    expect(error.message).toMatch(/LOG_LEVEL: must be one of fatal, error/);
    expect(error.message.split('\n')).toHaveLength(5);
  });
});

describe('env schemas', () => {
  it.each([
    ['1500', 1500],
    ['1500ms', 1500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
  ])('envDurationMs parses %s', (input, expected) => {
    expect(envDurationMs().parse(input)).toBe(expected);
  });

  it('envDurationMs rejects unknown units', () => {
    expect(envDurationMs().safeParse('5 days').success).toBe(false);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['off', false],
  ])('envBoolean parses %s', (input, expected) => {
    expect(envBoolean().parse(input)).toBe(expected);
  });

  it('envBoolean rejects anything else instead of treating it as false', () => {
    expect(envBoolean().safeParse('nope').success).toBe(false);
  });

  it('envPort accepts 1..65535 only', () => {
    expect(envPort().parse('8080')).toBe(8080);
    expect(envPort().safeParse('0').success).toBe(false);
    expect(envPort().safeParse('70000').success).toBe(false);
  });

  it('envUrl checks the protocol', () => {
    const amqp = envUrl(['amqp', 'amqps']);
    expect(amqp.parse('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp://guest:guest@127.0.0.1:5672');
    expect(amqp.safeParse('http://127.0.0.1').success).toBe(false);
    expect(amqp.safeParse('not a url').success).toBe(false);
  });
});

function captureError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected an error');
}
