import { Module } from '@nestjs/common';
import { ChangeLogModule } from '../changes/change-log.module';
import { DeliveriesHttpController } from './deliveries/deliveries.http.controller';
import { DeliveriesService } from './deliveries/deliveries.service';
import { WebhookDispatcher } from './dispatch/webhook-dispatcher';
import { ManageSubscriptionsHttpController } from './manage-subscriptions/manage-subscriptions.http.controller';
import { ManageSubscriptionsService } from './manage-subscriptions/manage-subscriptions.service';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookSender } from './webhook-sender';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';

/** Webhook subscriptions, their durable deliveries and the dispatcher that signs and sends them. */
@Module({
  imports: [ChangeLogModule],
  controllers: [ManageSubscriptionsHttpController, DeliveriesHttpController],
  providers: [WebhookSubscriptionRepository, WebhookDeliveryRepository, WebhookSender, WebhookDispatcher, ManageSubscriptionsService, DeliveriesService],
  exports: [WebhookDeliveryRepository, WebhookDispatcher],
})
export class WebhooksModule {}
