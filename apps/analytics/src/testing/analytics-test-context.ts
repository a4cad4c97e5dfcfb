import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Counter, register } from 'prom-client';
import type { Actor, EventContract, EventData, EventEnvelope, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { deleteTestBus, startTestService, testBusPrefix, testEnv, TestService, testTokenFor } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';
import { PrismaService } from '../infrastructure/database/prisma.service';

export interface EnvelopeMeta {
  tenantId: string;
  subject: string;
  version?: number;
  time?: Date;
  id?: string;
}

/** An envelope as the owning service's outbox relay would publish it. */
export function envelopeOf<C extends EventContract>(contract: C, data: EventData<C>, meta: EnvelopeMeta): EventEnvelope {
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

/**
 * The analytics service as main.ts starts it, on bus names of its own, with a raw publisher
 * standing in for the contacts service: events go out on the events exchange exactly as the
 * outbox relay sends them.
 */
export class AnalyticsTestContext {
  private constructor(
    readonly service: TestService,
    readonly prefix: string,
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
    private readonly brokerUser: string,
  ) {}

  static async start(): Promise<AnalyticsTestContext> {
    const prefix = testBusPrefix();
    const service = await startTestService({
      service: SERVICE_NAME,
      loadConfig: (env) => AppConfig.load(env),
      module: (config) => AppModule.register(config),
      env: { BUS_NAME_PREFIX: prefix },
    });
    const url = (await testEnv()).rabbitmqUrl;
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    return new AnalyticsTestContext(service, prefix, connection, channel, decodeURIComponent(new URL(url).username) || 'guest');
  }

  get prisma(): PrismaService {
    return this.service.app.get(PrismaService);
  }

  /** Calls as the gateway does: with a token for `actor` signed by the test key pair the service trusts (none without actor). */
  call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, actor?: Actor): Promise<RpcResponse<C>> {
    return this.service.app.get(RpcClient).call(contract, payload, { token: actor && testTokenFor(actor), timeoutMs: 10_000 });
  }

  /** Publishes the envelopes (in this order, with confirms) and waits until the service has handled each. */
  async deliver(...envelopes: EventEnvelope[]): Promise<void> {
    const before = await this.handled();
    for (const envelope of envelopes) {
      this.channel.publish(`${this.prefix}crm.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        // As the relay does: the broker checks it against this connection's user (guest in tests,
        // shared with the service, which then accepts it; see the consumer's publisher check).
        userId: this.brokerUser,
        messageId: envelope.id,
        type: envelope.type,
        contentType: 'application/cloudevents+json',
        headers: { 'x-correlation-id': randomUUID() },
      });
    }
    await this.channel.waitForConfirms();
    for (;;) {
      const now = await this.handled();
      if (now.parked > before.parked) throw new Error('the service parked an event: see its log');
      if (now.done - before.done >= envelopes.length) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Deliveries this process's analytics consumer has finished with (applied or duplicate), and parked. */
  private async handled(): Promise<{ done: number; parked: number }> {
    const metric = register.getSingleMetric('crm_messages_consumed_total') as Counter | undefined;
    const values = metric ? (await metric.get()).values : [];
    const sum = (outcomes: string[]) =>
      values.filter((v) => v.labels['service'] === SERVICE_NAME && outcomes.includes(String(v.labels['outcome']))).reduce((a, v) => a + v.value, 0);
    return { done: sum(['applied', 'duplicate']), parked: sum(['park']) };
  }

  async close(): Promise<void> {
    await this.service.close();
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
    await deleteTestBus(this.prefix);
  }
}
