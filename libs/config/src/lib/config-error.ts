/** One environment variable that failed validation. */
export interface ConfigIssue {
  variable: string;
  reason: string;
}

/**
 * Thrown when the environment does not satisfy a config schema.
 * The message is meant for humans at startup: one line per bad variable, no stack needed.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(['Invalid configuration (environment variables):', ...issues.map((i) => `  - ${i.variable}: ${i.reason}`)].join('\n'));
  }
}
