import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { ContractViolation, EventEnvelope, parseEnvelope, parseEventData } from '@crm/contracts';
import { AckCoalescer } from '../amqp/ack-coalescer';
import { AmqpConnections } from '../amqp/amqp-connections';
import { declareEventTopology, TopologyNames } from '../amqp/topology';
import { headerString, MessageContext } from '../context/message-context';
import { InboxRepository } from '../inbox/inbox.repository';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../messaging.options';
import { MessagingMetrics } from '../metrics/messaging.metrics';
import { MessagingSql } from '../outbox/sql-client';
import type { EventRoute, MessageHandlers } from '../transport/message-handlers';
import { HEADERS } from './headers';
import { BatchApplier, ValidDelivery } from './batch-applier';
import { DeliveryBatcher } from './delivery-batcher';
import { BeforeCommit } from './before-commit';
import { waitAtMost } from '../timing';

type Outcome = { kind: 'applied' | 'duplicate' } | { kind: 'retry'; error: string } | { kind: 'park'; reason: string; error: string };

/** Why a message cannot be handled no matter how often it is tried: park it at once. */
class Unprocessable extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Consumes the service's work queue. Each delivery is validated against its contract, then its
 * handlers run in one transaction with the inbox row; the ack follows the commit. Failures go
 * to a retry queue with a growing delay, then to the parking queue with the error.
 */
@Injectable()
export class EventConsumer {
  private readonly logger = new Logger('EventConsumer');
  private channel?: ChannelWrapper;
  private republisher?: ChannelWrapper;
  private readonly consumerTags = new Map<Channel, string>();
  private readonly acks = new Map<Channel, AckCoalescer>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private stopping = false;
  /** The handlers Nest registered (the messaging transport): set by `start`. */
  private handlers?: MessageHandlers;
  private readonly batches: BatchApplier;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly names: TopologyNames,
    private readonly connections: AmqpConnections,
    private readonly inbox: InboxRepository,
    private readonly sql: MessagingSql,
    private readonly context: MessageContext,
    private readonly metrics: MessagingMetrics,
    private readonly beforeCommit: BeforeCommit,
  ) {
    this.batches = new BatchApplier(options, sql, inbox, context, metrics, beforeCommit, (delivery) => this.runHandlers(delivery));
  }

  /** Declares the topology (also for publishers: the exchange) and starts consuming if there are handlers. */
  async start(handlers: MessageHandlers): Promise<void> {
    this.handlers = handlers;
    this.stopping = false;
    const routingKeys = handlers.eventTypes();
    this.republisher = this.connections.publisher.createChannel({
      name: 'event-republisher',
      confirm: true,
      publishTimeout: this.options.relay.confirmTimeoutMs,
      setup: (channel: ConfirmChannel) => declareEventTopology(channel, this.names, this.options, routingKeys),
    });
    await this.connected(this.republisher, 'publishing channel');
    if (routingKeys.length === 0 || !this.options.consume) return;
    this.channel = this.connections.consumer.createChannel({
      name: 'event-consumer',
      // amqp-connection-manager defaults to confirm channels; requests, replies and acks need no
      // publisher confirms, and each confirm is one more frame each way per call.
      confirm: false,
      setup: async (channel: Channel) => {
        await declareEventTopology(channel, this.names, this.options, routingKeys);
        await channel.prefetch(this.options.prefetch);
        const { batchSize, prefetch } = this.options;
        const acks = new AckCoalescer(channel);
        this.acks.set(channel, acks);
        const batcher = new DeliveryBatcher(batchSize, Math.max(1, Math.ceil(prefetch / batchSize)), (batch) => this.onBatch(channel, acks, batch));
        const { consumerTag } = await channel.consume(
          this.names.workQueue,
          (msg) => {
            if (!msg) return;
            acks.received(msg);
            batcher.add(msg);
          },
          { noAck: false },
        );
        this.consumerTags.set(channel, consumerTag);
        channel.once('close', () => {
          this.consumerTags.delete(channel);
          this.acks.delete(channel);
        });
      },
    });
    await this.connected(this.channel, 'consumer');
  }

  /** Start-up does not hang on an absent broker: consuming begins whenever the channel comes up. */
  private async connected(channel: ChannelWrapper, what: string): Promise<void> {
    const ready = channel.waitForConnect().then(() => true);
    if (!(await waitAtMost(ready, this.options.startTimeoutMs))) {
      this.logger.warn(`${what} not connected after ${this.options.startTimeoutMs} ms; it starts once the broker is reachable`);
    }
  }

  /** Stops taking new deliveries, waits for the handlers in flight, then closes the channels. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    for (const [channel, tag] of this.consumerTags) await channel.cancel(tag).catch(() => undefined);
    await waitAtMost(this.idle(), timeoutMs);
    for (const acks of this.acks.values()) acks.flush();
    await this.channel?.close().catch(() => undefined);
    await this.republisher?.close().catch(() => undefined);
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async onMessage(channel: Channel, acks: AckCoalescer, msg: ConsumeMessage): Promise<void> {
    this.inFlight++;
    let type = msg.properties.type ?? 'unknown';
    try {
      const outcome = await this.process(msg, (t) => (type = t));
      this.metrics.consumed.inc({ service: this.options.service, type, outcome: outcome.kind });
      if (outcome.kind === 'retry') await this.retry(msg, type, outcome.error);
      if (outcome.kind === 'park') await this.park(msg, type, outcome.reason, outcome.error);
      acks.completed(msg);
    } catch (error) {
      // The republish failed (broker gone, channel closed): the broker redelivers what this
      // channel held, and the inbox makes the redelivery harmless.
      this.logger.warn(`delivery of ${type} left unacked: ${(error as Error).message}`);
      acks.abandoned(msg);
      try {
        if (!this.stopping) channel.nack(msg, false, true);
      } catch {
        // channel already closed
      }
    } finally {
      if (--this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  /**
   * Deliveries that arrived together: the valid ones applied in one transaction and acked after
   * its commit; if it fails, each is applied again on its own (onMessage), where a failure is
   * that message's alone. The invalid ones are parked on their own at once.
   */
  private async onBatch(channel: Channel, acks: AckCoalescer, batch: ConsumeMessage[]): Promise<void> {
    if (batch.length === 1) return this.onMessage(channel, acks, batch[0]);
    this.inFlight++;
    try {
      const valid: ValidDelivery[] = [];
      for (const msg of batch) {
        const checked = this.check(msg);
        if ('msg' in checked) valid.push(checked);
        else await this.onMessage(channel, acks, msg);
      }
      if (valid.length === 0) return;
      let applied: boolean[];
      try {
        applied = await this.batches.apply(valid);
      } catch (error) {
        this.logger.warn(`a batch of ${valid.length} deliveries failed (${(error as Error).message}); applying them one at a time`);
        for (const { msg } of valid) await this.onMessage(channel, acks, msg);
        return;
      }
      valid.forEach(({ msg, envelope }, i) => {
        this.metrics.consumed.inc({ service: this.options.service, type: envelope.type, outcome: applied[i] ? 'applied' : 'duplicate' });
        // Acked together after this turn (one frame for the batch when it is the oldest run); a
        // channel closed after the commit means a redelivery, which the inbox absorbs.
        acks.completed(msg);
      });
    } finally {
      if (--this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  /**
   * Nest's pipeline for the event's handlers (every handler of the type, in registration order).
   * In a batch, the work handlers leave for the commit waits for the whole batch (BeforeCommit).
   */
  private runHandlers({ registered, data, envelope }: ValidDelivery): Promise<void> {
    return this.beforeCommit.scope(() => registered.invoke(data, envelope));
  }

  /** The delivery with its handlers and parsed data, or why it must be parked. */
  private check(msg: ConsumeMessage): ValidDelivery | (Extract<Outcome, { kind: 'park' }> & { type?: string }) {
    let envelope: EventEnvelope;
    let registered: EventRoute;
    let data: unknown;
    let type: string | undefined;
    try {
      envelope = this.decode(msg);
      type = envelope.type;
      const found = this.handlers?.event(envelope.type);
      if (!found) throw new Unprocessable('unknown-type', `no handler for ${envelope.type} in ${this.options.service}`);
      registered = found;
      this.checkSource(msg, envelope);
      data = parseEventData(registered.contract, envelope.data);
    } catch (error) {
      const reason = error instanceof Unprocessable ? error.reason : 'contract-violation';
      return { kind: 'park', reason, error: (error as Error).message, type };
    }
    return { msg, envelope, registered, data };
  }

  private async process(msg: ConsumeMessage, setType: (type: string) => void): Promise<Outcome> {
    const checked = this.check(msg);
    if (!('msg' in checked)) {
      if (checked.type) setType(checked.type);
      return checked;
    }
    const { envelope } = checked;
    setType(envelope.type);
    const stopTimer = this.metrics.handlerDuration.startTimer({ service: this.options.service, type: envelope.type });
    try {
      const applied = await this.context.run({ correlationId: envelope.correlationid, traceparent: envelope.traceparent }, () =>
        this.sql.transaction(async () => {
          if (!(await this.inbox.tryRecord(this.options.service, envelope.id, envelope.type))) return false;
          await this.runHandlers(checked);
          await this.options.faults.consumerBeforeCommit?.(envelope);
          return true;
        }),
      );
      await this.options.faults.consumerAfterCommit?.(envelope);
      return { kind: applied ? 'applied' : 'duplicate' };
    } catch (error) {
      const retries = Number(msg.properties.headers?.[HEADERS.retries] ?? 0);
      const message = (error as Error).message?.slice(0, 2_000) ?? String(error);
      if (retries < this.options.retryDelaysMs.length) return { kind: 'retry', error: message };
      return { kind: 'park', reason: 'retries-exhausted', error: message };
    } finally {
      stopTimer();
    }
  }

  private decode(msg: ConsumeMessage): EventEnvelope {
    let json: unknown;
    try {
      json = JSON.parse(msg.content.toString('utf8'));
    } catch (error) {
      throw new Unprocessable('malformed', `body is not JSON: ${(error as Error).message}`);
    }
    try {
      return parseEnvelope(json);
    } catch (error) {
      if (error instanceof ContractViolation) throw new Unprocessable('malformed', error.message);
      throw error;
    }
  }

  /**
   * An event is trusted only from the service that owns its type (the type's first segment):
   * the envelope must say so (`source`) and so must the broker (the AMQP user-id it validated
   * against the publishing connection's user). Copies this service republished (retries,
   * parking) carry the original publisher in a header.
   */
  private checkSource(msg: ConsumeMessage, envelope: EventEnvelope): void {
    const owner = envelope.type.split('.')[0];
    if (envelope.source !== `crm/${owner}`) {
      throw new Unprocessable('untrusted-source', `${envelope.type} comes from ${envelope.source}, not from crm/${owner}`);
    }
    const publisher = this.publisherOf(msg);
    if (publisher === undefined || !this.trustedPublishers(owner).includes(publisher)) {
      throw new Unprocessable('untrusted-source', `${envelope.type} was published by broker user ${publisher ?? '(none)'}, not by ${owner}'s`);
    }
  }

  private publisherOf(msg: ConsumeMessage): string | undefined {
    const fromEvents = msg.fields.exchange === this.names.exchange;
    return (fromEvents ? undefined : headerString(msg.properties.headers, HEADERS.publisher)) ?? msg.properties.userId;
  }

  private trustedPublishers(owner: string): string[] {
    const { brokerUser, brokerUserPrefix, service } = this.options;
    const ownerUser = `${brokerUserPrefix}${owner}`;
    // Connected as a shared user (not this service's own): the broker cannot tell services apart.
    return brokerUser === `${brokerUserPrefix}${service}` ? [ownerUser] : [ownerUser, brokerUser];
  }

  private async retry(msg: ConsumeMessage, type: string, error: string): Promise<void> {
    const retries = Number(msg.properties.headers?.[HEADERS.retries] ?? 0);
    const queue = this.names.retryQueueFor(retries);
    this.logger.warn(`${type} failed (retry ${retries + 1}/${this.options.retryDelaysMs.length} via ${queue}): ${error}`);
    await this.republish(queue, msg, { [HEADERS.retries]: retries + 1, [HEADERS.lastError]: error });
    this.metrics.retried.inc({ service: this.options.service, type });
  }

  private async park(msg: ConsumeMessage, type: string, reason: string, error: string): Promise<void> {
    this.logger.error(`${type} parked (${reason}): ${error}`);
    await this.republish(this.names.parkingQueue, msg, {
      [HEADERS.parkedReason]: reason,
      [HEADERS.lastError]: error,
      [HEADERS.parkedAt]: new Date().toISOString(),
      [HEADERS.originalRoutingKey]: headerString(msg.properties.headers, HEADERS.originalRoutingKey) ?? msg.fields.routingKey,
    });
    this.metrics.parked.inc({ service: this.options.service, type, reason });
  }

  /**
   * Sends a copy with confirms before the original is acked: a crash in between only duplicates.
   * Through the service's redelivery exchange (each of its queues is bound there by name).
   */
  private async republish(queue: string, msg: ConsumeMessage, headers: Record<string, unknown>): Promise<void> {
    if (!this.republisher) throw new Error('consumer not started');
    const { properties } = msg;
    // The copy names the publisher the broker validated; a header the publisher set itself never survives.
    const publisher = this.publisherOf(msg);
    const copyHeaders: Record<string, unknown> = { ...properties.headers, [HEADERS.publisher]: publisher, ...headers };
    if (publisher === undefined) delete copyHeaders[HEADERS.publisher];
    await this.republisher.publish(this.names.redeliveryExchange, queue, msg.content, {
      persistent: true,
      messageId: properties.messageId,
      type: properties.type,
      contentType: properties.contentType,
      headers: copyHeaders,
      timeout: this.options.relay.confirmTimeoutMs,
    });
  }
}
