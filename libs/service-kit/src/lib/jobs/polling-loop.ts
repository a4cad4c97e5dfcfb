import { Logger } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';

/**
 * Runs `work` every `intervalMs` after the previous pass ended, one pass at a time; `soon()` runs
 * the next pass shortly. Timers are made outside the caller's CLS context: a `soon()` from inside
 * a transaction would otherwise carry that (by then committed) transaction into every later pass.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly cls: ClsService,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly logger = new Logger(name),
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.intervalMs);
  }

  soon(delayMs = 100): void {
    if (!this.stopped) this.schedule(delayMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = this.cls.exit(() =>
      setTimeout(() => {
        this.work()
          .catch((error) => this.logger.error(`${this.name} failed: ${(error as Error).message}`))
          .finally(() => this.schedule(this.intervalMs));
      }, delayMs),
    );
    this.timer.unref();
  }
}
