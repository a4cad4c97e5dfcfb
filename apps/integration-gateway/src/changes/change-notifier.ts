import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../app.config';
import { WebhookDispatcher } from '../webhooks/dispatch/webhook-dispatcher';
import { CHANGE_LOG_CHANNEL } from './change-log.repository';

/**
 * Wakes long polls when changes of their tenant commit: one LISTEN connection per replica on the
 * channel the change log notifies at commit (any replica's intake wakes every replica's polls).
 * The webhook dispatcher is woken by it too: new deliveries go out without waiting for its poll.
 */
@Injectable()
export class ChangeNotifier implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeNotifier.name);
  private readonly waiters = new Map<string, Set<() => void>>();
  private client?: Client;
  private closing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const set of this.waiters.values()) for (const wake of set) wake();
    await this.client?.end().catch(() => undefined);
  }

  /** Resolves when a change of `tenantId` commits, or after `ms` (whichever is first); `signal` ends it early. */
  waitFor(tenantId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(tenantId) ?? new Set();
      this.waiters.set(tenantId, set);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(tenantId) === set) this.waiters.delete(tenantId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      set.add(done);
    });
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.INTEGRATION_GATEWAY_DATABASE_URL });
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_LOG_CHANNEL || !message.payload) return;
      this.dispatcher.nudge();
      for (const wake of [...(this.waiters.get(message.payload) ?? [])]) wake();
    });
    client.on('error', (error) => {
      this.logger.warn(`change notifications lost (${error.message}); reconnecting`);
      // Waiting polls end now and read again: nothing is missed, they only return earlier.
      for (const set of this.waiters.values()) for (const wake of [...set]) wake();
      client.end().catch(() => undefined);
      if (!this.closing) setTimeout(() => this.connect().catch((e: Error) => this.logger.warn(e.message)), 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_LOG_CHANNEL}`);
    this.client = client;
  }
}
