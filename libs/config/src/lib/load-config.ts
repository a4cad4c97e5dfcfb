import { z } from 'zod';
import { ConfigError, ConfigIssue } from './config-error';

export type Environment = Record<string, string | undefined>;

/** A config schema is an object schema whose keys are environment variable names. */
export type ConfigSchema = z.ZodObject;

export type ConfigOf<S extends ConfigSchema> = Readonly<z.output<S>>;

/**
 * Validates `env` against `schema` and returns a frozen, typed config.
 * Throws a ConfigError listing every bad or missing variable.
 */
export function loadConfig<S extends ConfigSchema>(schema: S, env: Environment = process.env): ConfigOf<S> {
  const result = schema.safeParse(withoutEmptyValues(env));
  if (!result.success) {
    throw new ConfigError(toIssues(result.error, env));
  }
  return deepFreeze(result.data) as ConfigOf<S>;
}

// `FOO=` (common in compose files and .env templates) means "not set", so defaults apply.
function withoutEmptyValues(env: Environment): Environment {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
}

function toIssues(error: z.ZodError, env: Environment): ConfigIssue[] {
  return error.issues.map((issue) => {
    const variable = issue.path.map(String).join('.') || '(root)';
    const isMissing = issue.path.length > 0 && !env[String(issue.path[0])]?.trim();
    return {
      variable,
      reason: isMissing ? 'is required but not set' : issue.message,
    };
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
