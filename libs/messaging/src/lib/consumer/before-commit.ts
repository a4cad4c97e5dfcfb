import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';

/** A symbol: nestjs-cls would read a string key as the path messaging -> beforeCommit. */
const WORK = Symbol('messaging.beforeCommit');

/**
 * Work a handler leaves for the end of its transaction: it runs once every handler of the
 * delivery, or of the whole batch of deliveries applied together, has run, inside that
 * transaction, before it commits. A handler can so gather a batch's writes and make them with
 * a few statements instead of a few per event. Its failure fails the transaction like a
 * handler's (a batch is then applied again one message at a time).
 */
@Injectable()
export class BeforeCommit {
  constructor(private readonly cls: ClsService) {}

  /**
   * Registers `work` under `key` (the first registration of a key in a transaction wins).
   * False when no consumer transaction is open here: the caller does its work itself, now.
   */
  add(key: string, work: () => Promise<void>): boolean {
    const pending = this.cls.isActive() ? this.cls.get<Map<string, () => Promise<void>> | undefined>(WORK) : undefined;
    if (!pending) return false;
    if (!pending.has(key)) pending.set(key, work);
    return true;
  }

  /** The consumer's: runs `fn` (the handlers), then the work they left, in the order it was left. */
  async scope<T>(fn: () => Promise<T>): Promise<T> {
    if (this.cls.get(WORK)) return fn(); // inside a batch's scope already
    const pending = new Map<string, () => Promise<void>>();
    // Nested contexts (each message's trace) copy the store, and with it this same map.
    this.cls.set(WORK, pending);
    try {
      const result = await fn();
      for (const [, work] of pending) await work();
      return result;
    } finally {
      this.cls.set(WORK, undefined);
    }
  }
}
