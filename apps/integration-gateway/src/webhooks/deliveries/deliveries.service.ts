import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import type { ErpClient } from '../../erp-auth/erp-client';
import { ManageSubscriptionsService } from '../manage-subscriptions/manage-subscriptions.service';
import { WebhookDispatcher } from '../dispatch/webhook-dispatcher';
import { type DeliveryLogEntry, WebhookDeliveryRepository } from '../webhook-delivery.repository';

/** A subscription's delivery log (status, attempts, response codes) and replays of one delivery or of a time range. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly subscriptions: ManageSubscriptionsService,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async log(client: ErpClient, subscriptionId: string, limit: number): Promise<{ data: DeliveryLogEntry[] }> {
    await this.subscriptions.found(client, subscriptionId);
    return { data: await this.deliveries.log(client.tenantId, subscriptionId, limit) };
  }

  async replay(client: ErpClient, subscriptionId: string, deliveryId: string): Promise<{ replayed: number }> {
    await this.subscriptions.found(client, subscriptionId);
    if (!(await this.deliveries.replay(client.tenantId, subscriptionId, deliveryId))) {
      throw new DomainError('NOT_FOUND', `no delivery ${deliveryId} of webhook subscription ${subscriptionId}`, { id: deliveryId });
    }
    this.dispatcher.nudge();
    return { replayed: 1 };
  }

  async replayRange(client: ErpClient, subscriptionId: string, range: { from: string; to: string }): Promise<{ replayed: number }> {
    await this.subscriptions.found(client, subscriptionId);
    const from = new Date(range.from);
    const to = new Date(range.to);
    if (!(from < to)) throw new DomainError('VALIDATION_FAILED', '`from` must be before `to`', { field: 'from' });
    const replayed = await this.deliveries.replayRange(client.tenantId, subscriptionId, from, to);
    this.dispatcher.nudge();
    return { replayed };
  }
}
