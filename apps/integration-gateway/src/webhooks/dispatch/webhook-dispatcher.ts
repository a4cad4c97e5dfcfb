import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { integrationGatewayWebhookDisabled } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { AppConfig } from '../../app.config';
import { ChangeLogRepository } from '../../changes/change-log.repository';
import { toCloudEvent } from '../../changes/cloud-event';
import { type DueDelivery, WebhookDeliveryRepository } from '../webhook-delivery.repository';
import { WebhookSubscriptionRepository } from '../webhook-subscription.repository';
import { WebhookSender } from '../webhook-sender';

/**
 * Sends due webhook deliveries: polls Postgres (claims with FOR UPDATE SKIP LOCKED, so replicas
 * share the work), sends each outside any transaction, logs the attempt, and schedules the next
 * (WEBHOOK_RETRY_SCHEDULE_SECONDS, ±20% jitter). A delivery out of retries counts against its
 * subscription; WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES in a row disable it, and
 * integration-gateway.webhook.disabled.v1 is published through the outbox in the same transaction.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly changes: ChangeLogRepository,
    private readonly sender: WebhookSender,
    private readonly events: EventPublisher,
    private readonly txHost: TransactionHost,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.nudge(), this.config.WEBHOOK_DISPATCH_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Looks for due deliveries now (unless a round is running). */
  nudge(): void {
    if (this.running || this.stopped) return;
    this.running = this.drain()
      .catch((error: Error) => this.logger.warn(`webhook dispatch failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  /** Rounds until nothing is due: each claims up to WEBHOOK_DISPATCH_CONCURRENCY and sends them together. */
  async drain(): Promise<void> {
    const limit = this.config.WEBHOOK_DISPATCH_CONCURRENCY;
    const leaseMs = this.config.WEBHOOK_TIMEOUT_MS + 30_000;
    while (!this.stopped) {
      const due = await this.txHost.withTransaction(() => this.deliveries.claimDue(limit, leaseMs));
      if (due.length === 0) return;
      const changes = new Map((await this.changes.bySeqs(due.map((d) => d.changeSeq))).map((c) => [c.seq, c]));
      // One subscription's deliveries go one after another, in change order; subscriptions in parallel.
      const bySubscription = new Map<string, DueDelivery[]>();
      for (const delivery of due) bySubscription.set(delivery.subscriptionId, [...(bySubscription.get(delivery.subscriptionId) ?? []), delivery]);
      await Promise.all(
        [...bySubscription.values()].map(async (list) => {
          for (const delivery of list) {
            const change = changes.get(delivery.changeSeq);
            const payload = JSON.stringify(change ? toCloudEvent(change) : { id: delivery.eventId, erased: true });
            await this.deliver(delivery, payload);
          }
        }),
      );
      if (due.length < limit) return;
    }
  }

  private async deliver(delivery: DueDelivery, payload: string): Promise<void> {
    const result = await this.sender.send(delivery, delivery.id, payload);
    const schedule = this.config.WEBHOOK_RETRY_SCHEDULE_SECONDS;
    // The retry this failure would lead to: the first after the first failed call of the schedule.
    const retry = delivery.attempts + 1 - delivery.retryBase;
    const waitSeconds = !result.ok && retry <= schedule.length ? schedule[retry - 1] * (0.8 + Math.random() * 0.4) : null;
    const nextAttemptAt = waitSeconds === null ? null : new Date(Date.now() + waitSeconds * 1_000);
    await this.txHost.withTransaction(async () => {
      await this.deliveries.recordAttempt(delivery, { ...result, delivered: result.ok, nextAttemptAt });
      if (result.ok) return this.subscriptions.recordSuccess(delivery.subscriptionId);
      if (nextAttemptAt) return;
      const reason = `a delivery failed ${retry} times in a row (last: ${result.error ?? 'unknown error'})`;
      const disabled = await this.subscriptions.recordExhausted(delivery.subscriptionId, this.config.WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES, reason);
      if (!disabled) return;
      this.logger.warn(`webhook subscription ${disabled.id} of tenant ${disabled.tenantId} disabled: ${reason}`);
      await this.events.publish(
        integrationGatewayWebhookDisabled,
        {
          subscriptionId: disabled.id,
          clientId: disabled.clientId,
          url: disabled.url,
          reason,
          failedInARow: disabled.failedInARow,
          disabledAt: (disabled.disabledAt ?? new Date()).toISOString(),
        },
        { tenantId: disabled.tenantId, subject: disabled.id, entityVersion: disabled.version },
      );
    });
  }
}
