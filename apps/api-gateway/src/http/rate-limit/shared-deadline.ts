/** A Redis command that had no answer within its deadline (Redis hangs, or the link to it does). */
export class RedisDeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisDeadlineError';
  }
}

/**
 * Bounds hot-path Redis commands: `bound(command)` fails with RedisDeadlineError once the command
 * has waited about `timeoutMs` for its answer. The deadline is one timer shared by every command
 * sent within the same `windowMs`; a command sent late in a window gets up to `windowMs` less.
 *
 * Why not node-redis's `timeout` command option: it only covers a command until it is written to
 * the socket (the queue drops its timer then), so a Redis that hangs with the connection open
 * holds every request forever; and it builds an AbortSignal.timeout per command, whose timer
 * fires after the command is long answered and makes a DOMException (with a stack) every time:
 * ~2% of the gateway's CPU per request. Give the client `timeout: 0` for the commands bound here.
 */
export class SharedDeadline {
  private windowEnds = 0;
  private expiry: Promise<never> = new Promise(() => undefined);

  constructor(
    private readonly timeoutMs: number,
    private readonly windowMs = 100,
  ) {
    // A window as long as the deadline could hand out an expiry that has fired already.
    if (windowMs >= timeoutMs) throw new Error(`SharedDeadline: the window (${windowMs} ms) must be shorter than the deadline (${timeoutMs} ms)`);
  }

  bound<T>(command: Promise<T>): Promise<T> {
    const now = performance.now();
    if (now >= this.windowEnds) {
      this.windowEnds = now + this.windowMs;
      const timeoutMs = this.timeoutMs;
      this.expiry = new Promise<never>((_, reject) => setTimeout(() => reject(new RedisDeadlineError(timeoutMs)), timeoutMs).unref());
      // Most windows end with every command answered: nobody awaits their expiry any more.
      this.expiry.catch(() => undefined);
    }
    return Promise.race([command, this.expiry]);
  }
}
