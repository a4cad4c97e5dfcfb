/**
 * A server the request needs (the gateway's Redis, for one) is down or did not answer in time:
 * the edge answers 503 with Retry-After, as when a service is unreachable over the bus, instead
 * of an unexpected error. The cause stays in the log.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: string,
    cause: unknown,
  ) {
    super(`${dependency} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DependencyUnavailableError';
  }
}
