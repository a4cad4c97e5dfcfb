import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Counter, register } from 'prom-client';
import { closeAmqp } from './amqp-close';
import type { EventContract, EventData, EventEnvelope } from '@crm/contracts';

export interface TestEnvelopeMeta {
  tenantId: string;
  subject: string;
  id?: string;
  version?: number;
  time?: Date;
}

/** An envelope as the owning service's outbox relay publishes it (source `crm/<service>`). */
export function testEnvelope<C extends EventContract>(contract: C, data: EventData<C>, meta: TestEnvelopeMeta): EventEnvelope {
  return {
    specversion: '1.0',
    id: meta.id ?? randomUUID(),
    source: `crm/${contract.service}`,
    type: contract.name,
    time: (meta.time ?? new Date()).toISOString(),
    subject: meta.subject,
    datacontenttype: 'application/json',
    tenantid: meta.tenantId,
    ...(meta.version !== undefined && { entityversion: meta.version }),
    data,
  };
}

/** How long deliver() waits for the service to handle what it published. */
const DELIVER_TIMEOUT_MS = 15_000;

export interface TestEventBusOptions {
  rabbitmqUrl: string;
  /** The test service's BUS_NAME_PREFIX. */
  prefix: string;
  /** The service whose consumer `deliver` waits for (its crm_messages_consumed_total in this process). */
  service: string;
}

/**
 * Stands in for the other services on a test service's bus: publishes their events exactly as an
 * outbox relay does and waits until the service under test has handled each; and captures what
 * the service publishes, to wait for one event.
 */
export class TestEventBus {
  /** Every event published on the prefix's events exchange since the bus connected, in arrival order. */
  readonly published: EventEnvelope[] = [];

  private constructor(
    private readonly options: TestEventBusOptions,
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
  ) {}

  static async connect(options: TestEventBusOptions): Promise<TestEventBus> {
    const connection = await amqp.connect(options.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    const bus = new TestEventBus(options, connection, channel);
    const exchange = `${options.prefix}crm.events`;
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, '#');
    await channel.consume(queue, (message) => message && bus.published.push(JSON.parse(message.content.toString('utf8')) as EventEnvelope), { noAck: true });
    return bus;
  }

  /** Publishes the envelopes (in this order, with confirms) and waits until the service has handled each. */
  async deliver(...envelopes: EventEnvelope[]): Promise<void> {
    const before = await this.handled();
    const userId = decodeURIComponent(new URL(this.options.rabbitmqUrl).username) || 'guest';
    for (const envelope of envelopes) {
      this.channel.publish(`${this.options.prefix}crm.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        // As the relay does: the broker checks it against this connection's user (shared with the service in tests).
        userId,
        messageId: envelope.id,
        type: envelope.type,
        contentType: 'application/cloudevents+json',
        headers: { 'x-correlation-id': randomUUID() },
      });
    }
    await this.channel.waitForConfirms();
    const giveUp = Date.now() + DELIVER_TIMEOUT_MS;
    for (;;) {
      const now = await this.handled();
      if (now.parked > before.parked) throw new Error('the service parked an event: see its log');
      if (Date.now() > giveUp) throw new Error(`the service handled ${now.done - before.done} of ${envelopes.length} events in ${DELIVER_TIMEOUT_MS} ms`);
      if (now.done - before.done >= envelopes.length) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Publishes one envelope as the relay does, without waiting for the service (a long poll test waits on its own result). */
  async publish(envelope: EventEnvelope): Promise<void> {
    this.channel.publish(`${this.options.prefix}crm.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      userId: decodeURIComponent(new URL(this.options.rabbitmqUrl).username) || 'guest',
      messageId: envelope.id,
      type: envelope.type,
      contentType: 'application/cloudevents+json',
      headers: { 'x-correlation-id': randomUUID() },
    });
    await this.channel.waitForConfirms();
  }

  /** The first published event matching `match`, waiting for it (the outbox relay publishes after commit). */
  async event(match: (envelope: EventEnvelope) => boolean, waitMs = 10_000): Promise<EventEnvelope> {
    const until = Date.now() + waitMs;
    for (;;) {
      const found = this.published.find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no matching event among ${this.published.map((e) => e.type).join(', ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    await closeAmqp(this.connection);
  }

  /** Deliveries this process's consumer of the service has finished with (applied or duplicate), and parked. */
  private async handled(): Promise<{ done: number; parked: number }> {
    const metric = register.getSingleMetric('crm_messages_consumed_total') as Counter | undefined;
    const values = metric ? (await metric.get()).values : [];
    const sum = (outcomes: string[]) =>
      values.filter((v) => v.labels['service'] === this.options.service && outcomes.includes(String(v.labels['outcome']))).reduce((a, v) => a + v.value, 0);
    return { done: sum(['applied', 'duplicate']), parked: sum(['park']) };
  }
}
