/** A Redis command that had no answer within its deadline (Redis hangs, or the link to it does). */
export class RedisDeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisDeadlineError';
  }
}

interface Window {
  endsAt: number;
  /** The commands of this window still unanswered: how to fail each. */
  waiting: Set<(error: Error) => void>;
}

/**
 * Bounds hot-path Redis commands: `bound(command)` fails with RedisDeadlineError once the command
 * has waited about `timeoutMs` for its answer. The deadline is one timer shared by every command
 * sent within the same `windowMs`; a command sent late in a window gets up to `windowMs` less.
 * An answered command leaves its window at once (nothing of it is kept until the timer fires).
 *
 * Why not node-redis's `timeout` command option: it only covers a command until it is written to
 * the socket (the queue drops its timer then), so a Redis that hangs with the connection open
 * holds every request forever; and it makes an AbortSignal.timeout per command, whose timer fires
 * after the command is long answered and builds a DOMException (with a stack) every time. Give
 * the client `timeout: 0` for the commands bound here.
 */
export class SharedDeadline {
  private window: Window = { endsAt: 0, waiting: new Set() };

  constructor(
    private readonly timeoutMs: number,
    private readonly windowMs = 100,
  ) {
    // A window as long as the deadline would take commands after its timer has fired.
    if (windowMs >= timeoutMs) throw new Error(`SharedDeadline: the window (${windowMs} ms) must be shorter than the deadline (${timeoutMs} ms)`);
  }

  /** `command`'s answer, or its failure (RedisDeadlineError at the deadline) as `failure` makes it. */
  bound<T>(command: Promise<T>, failure: (error: unknown) => unknown = (error) => error): Promise<T> {
    const { waiting } = this.currentWindow();
    return new Promise<T>((resolve, reject) => {
      const fail = (error: unknown) => {
        waiting.delete(fail);
        reject(failure(error));
      };
      waiting.add(fail);
      command.then((value) => {
        waiting.delete(fail);
        resolve(value);
      }, fail);
    });
  }

  private currentWindow(): Window {
    const now = performance.now();
    if (now < this.window.endsAt) return this.window;
    const window: Window = { endsAt: now + this.windowMs, waiting: new Set() };
    setTimeout(() => {
      for (const fail of window.waiting) fail(new RedisDeadlineError(this.timeoutMs));
      window.waiting.clear();
    }, this.timeoutMs).unref();
    return (this.window = window);
  }
}
