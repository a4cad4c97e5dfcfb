import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Counter, register } from 'prom-client';
import type { EventContract, EventData, EventEnvelope } from '@crm/contracts';
import { pollUntil } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from '../app.config';
import type { SalesAutomationTestContext } from './sales-automation-test-context';

export interface EnvelopeMeta {
  tenantId: string;
  subject: string;
  version?: number;
  time?: Date;
}

/** An envelope as the contacts service's outbox relay would publish it. */
export function contactsEnvelope<C extends EventContract>(contract: C, data: EventData<C>, meta: EnvelopeMeta): EventEnvelope {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'crm/contacts',
    type: contract.name,
    time: (meta.time ?? new Date()).toISOString(),
    subject: meta.subject,
    datacontenttype: 'application/json',
    tenantid: meta.tenantId,
    ...(meta.version !== undefined && { entityversion: meta.version }),
    data,
  };
}

/**
 * Stands in for the contacts service: publishes envelopes on the test service's events exchange
 * exactly as the outbox relay does, and waits until the service's consumer has handled each.
 */
export class ContactEventsPublisher {
  private constructor(
    private readonly prefix: string,
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
    private readonly brokerUser: string,
  ) {}

  static async for(context: SalesAutomationTestContext): Promise<ContactEventsPublisher> {
    // The config the test service was started with (TestService does not keep its type).
    const config = context.service.config as AppConfig;
    const connection = await amqp.connect(config.RABBITMQ_URL);
    const channel = await connection.createConfirmChannel();
    return new ContactEventsPublisher(config.BUS_NAME_PREFIX, connection, channel, decodeURIComponent(new URL(config.RABBITMQ_URL).username) || 'guest');
  }

  /** Publishes the envelopes (in this order, with confirms) and waits until the service has handled each. */
  async deliver(...envelopes: EventEnvelope[]): Promise<void> {
    // Counted by the delivered types only: the service also consumes its own events (they reach AutomationEvents).
    const types = new Set(envelopes.map((envelope) => envelope.type));
    const before = await this.handled(types);
    for (const envelope of envelopes) {
      this.channel.publish(`${this.prefix}crm.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        // As the relay does: the broker checks it against this connection's user (shared with the service in tests).
        userId: this.brokerUser,
        messageId: envelope.id,
        type: envelope.type,
        contentType: 'application/cloudevents+json',
        headers: { 'x-correlation-id': randomUUID() },
      });
    }
    await this.channel.waitForConfirms();
    await pollUntil(
      `the service handling ${envelopes.length} event(s)`,
      async () => {
        const now = await this.handled(types);
        if (now.parked > before.parked) throw new Error('the service parked an event: see its log');
        return now.done - before.done >= envelopes.length ? true : undefined;
      },
      15_000,
      20,
    );
  }

  /** Deliveries this process's sales-automation consumer has finished with (applied or duplicate), and parked. */
  private async handled(types: Set<string>): Promise<{ done: number; parked: number }> {
    const metric = register.getSingleMetric('crm_messages_consumed_total') as Counter | undefined;
    const values = metric ? (await metric.get()).values : [];
    const sum = (outcomes: string[]) =>
      values
        .filter((v) => v.labels['service'] === SERVICE_NAME && types.has(String(v.labels['type'])) && outcomes.includes(String(v.labels['outcome'])))
        .reduce((a, v) => a + v.value, 0);
    return { done: sum(['applied', 'duplicate']), parked: sum(['park']) };
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}
