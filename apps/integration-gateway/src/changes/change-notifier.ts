import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../app.config';
import { CHANGE_CHANNEL } from './change-log.repository';

type Waiter = () => void;

/**
 * Long polls wait here for their tenant's next change: one LISTEN connection per process (opened
 * by the first waiter), woken by the NOTIFY each appended entry sends when its transaction
 * commits. No polling: an idle long poll costs a timer.
 */
@Injectable()
export class ChangeNotifier implements OnModuleDestroy {
  private readonly logger = new Logger(ChangeNotifier.name);
  private readonly waiters = new Map<string, Set<Waiter>>();
  private listening: Promise<Client> | undefined;
  private closed = false;

  constructor(private readonly config: AppConfig) {}

  /** Resolves true when a change of the tenant is announced, false after `timeoutMs` (or when closing). */
  async next(tenantId: string, timeoutMs: number): Promise<boolean> {
    await this.listen();
    return new Promise<boolean>((resolve) => {
      const waiters = this.waiters.get(tenantId) ?? new Set<Waiter>();
      this.waiters.set(tenantId, waiters);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0) this.waiters.delete(tenantId);
        resolve(woken);
      };
      const wake: Waiter = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      waiters.add(wake);
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const waiters of this.waiters.values()) for (const wake of waiters) wake();
    const client = await this.listening?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private listen(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('closing'));
    this.listening ??= (async () => {
      const client = new Client({ connectionString: this.config.INTEGRATION_GATEWAY_DATABASE_URL, application_name: 'integration-gateway change notifier' });
      client.on('notification', ({ payload }) => {
        for (const wake of this.waiters.get(payload ?? '') ?? []) wake();
      });
      // A lost connection: wake everyone (they read again and wait anew on a fresh connection).
      client.on('error', (error) => {
        this.logger.warn(`change notifier connection lost: ${error.message}`);
        this.listening = undefined;
        for (const waiters of this.waiters.values()) for (const wake of waiters) wake();
      });
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      return client;
    })().catch((error: unknown) => {
      this.listening = undefined;
      throw error;
    });
    return this.listening;
  }
}
