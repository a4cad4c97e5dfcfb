import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Counter, register } from 'prom-client';
import type { EventContract, EventData, EventEnvelope } from '@crm/contracts';
import { deleteTestBus, testBusPrefix, testEnv } from '@crm/testing';
import { SERVICE_NAME } from '../../app.config';
import { IntegrationGatewayTestContext } from '../../testing/integration-gateway-test-context';

/** An envelope as the owning service's outbox relay would publish it. */
export function envelopeOf<C extends EventContract>(contract: C, data: EventData<C>, meta: { tenantId: string; subject?: string; id?: string }): EventEnvelope {
  return {
    specversion: '1.0',
    id: meta.id ?? randomUUID(),
    source: `crm/${contract.service}`,
    type: contract.name,
    time: new Date().toISOString(),
    ...(meta.subject !== undefined && { subject: meta.subject }),
    datacontenttype: 'application/json',
    tenantid: meta.tenantId,
    data,
  };
}

/**
 * The integration gateway on bus names of its own, with a raw publisher standing in for the
 * services: events go out on the events exchange exactly as their outbox relays send them.
 */
export class FeedTestBus {
  private constructor(
    readonly ctx: IntegrationGatewayTestContext,
    private readonly prefix: string,
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
    private readonly brokerUser: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<FeedTestBus> {
    const prefix = testBusPrefix();
    const ctx = await IntegrationGatewayTestContext.start({ BUS_NAME_PREFIX: prefix, ...env });
    const url = (await testEnv()).rabbitmqUrl;
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    return new FeedTestBus(ctx, prefix, connection, channel, decodeURIComponent(new URL(url).username) || 'guest');
  }

  /** Publishes the envelopes (in this order, with confirms) and waits until the gateway has handled each. */
  async deliver(...envelopes: EventEnvelope[]): Promise<void> {
    const before = await this.handled();
    for (const envelope of envelopes) {
      this.channel.publish(`${this.prefix}crm.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        userId: this.brokerUser,
        messageId: envelope.id,
        type: envelope.type,
        contentType: 'application/cloudevents+json',
        headers: { 'x-correlation-id': randomUUID() },
      });
    }
    await this.channel.waitForConfirms();
    const giveUp = Date.now() + 15_000;
    for (;;) {
      const now = await this.handled();
      if (Date.now() > giveUp) {
        const metric = register.getSingleMetric('crm_messages_consumed_total') as Counter | undefined;
        throw new Error(`the gateway did not handle the events: ${JSON.stringify(metric ? (await metric.get()).values : 'no metric')}`);
      }
      if (now.parked > before.parked) throw new Error('the gateway parked an event: see its log');
      if (now.done - before.done >= envelopes.length) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Publishes without waiting (a long poll test waits on the feed itself). */
  async publish(envelope: EventEnvelope): Promise<void> {
    this.channel.publish(`${this.prefix}crm.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      userId: this.brokerUser,
      messageId: envelope.id,
      type: envelope.type,
      contentType: 'application/cloudevents+json',
    });
    await this.channel.waitForConfirms();
  }

  private async handled(): Promise<{ done: number; parked: number }> {
    const metric = register.getSingleMetric('crm_messages_consumed_total') as Counter | undefined;
    const values = metric ? (await metric.get()).values : [];
    const sum = (outcomes: string[]) =>
      values.filter((v) => v.labels['service'] === SERVICE_NAME && outcomes.includes(String(v.labels['outcome']))).reduce((a, v) => a + v.value, 0);
    return { done: sum(['applied', 'duplicate']), parked: sum(['park']) };
  }

  async close(): Promise<void> {
    await this.ctx.close();
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
    await deleteTestBus(this.prefix);
  }
}
