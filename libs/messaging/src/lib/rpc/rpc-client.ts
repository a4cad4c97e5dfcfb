import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage, Message, Options } from 'amqplib';
import { owningService, recordVersion, RelayableData, relayableData, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { AmqpConnections } from '../amqp/amqp-connections';
import { declareRpcExchanges, declareRpcQueue, TopologyNames } from '../amqp/topology';
import { MessageContext } from '../context/message-context';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../messaging.options';
import { MessagingMetrics } from '../metrics/messaging.metrics';
import { waitAtMost } from '../timing';
import { BrokerUnavailableError, NoConsumersError, RemoteError, RpcReply, RpcTimeoutError } from './rpc.errors';
import { RequestEnvelopeWriter, type RpcRequestEnvelope } from './rpc-request-envelope';

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  messageName: string;
  /** Resolve with the reply's data as the JSON bytes it arrived in, and its version (callForJson). */
  asJson: boolean;
}

/**
 * How long a service whose queue is not bound on the by-service exchange (a service of the
 * previous release, upgraded after the gateways) gets its requests routed by message name.
 */
const ROUTE_BY_NAME_FOR_MS = 60_000;

export interface CallOptions {
  /**
   * The caller's access token (signed by the gateway), verified by the serving side, which takes
   * tenant, user and roles from it only. Default: the token of the request being handled.
   */
  token?: string;
  timeoutMs?: number;
  /**
   * The request's own id (default: a new one per call). A command sent again with the same id by
   * the same caller is applied once (the serving side's command inbox): a caller retrying after a
   * crash passes an id it can derive again (e.g. from the record the command is for).
   */
  requestId?: string;
}

/**
 * Sends commands and queries to the owning service's queue (through the request exchange) and
 * awaits the reply on this process's exclusive reply queue (through the reply exchange). Every call ends: with the reply, a
 * RemoteError, an RpcTimeoutError, a NoConsumersError or a BrokerUnavailableError.
 *
 * A NestJS ClientProxy: `send(messageName, request)` works as with any transport; `call(contract,
 * request, options)` is the typed way (types the request and the response, takes the token). The
 * request is not validated here: the caller's own edge did (the gateway's pipes), and the serving
 * side checks it against the contract once, at its own trust boundary (RpcServer).
 * Events are not sent from here: they leave through the outbox (EventPublisher).
 */
@Injectable()
export class RpcClient extends ClientProxy implements OnApplicationShutdown {
  private readonly pending = new Map<string, PendingCall>();
  private readonly envelopes = new RequestEnvelopeWriter();
  private readonly presence = new Map<string, { consumers: number; checkedAt: number; refresh?: Promise<number> }>();
  /** Services to route by message name until the time given (see onReturned). */
  private readonly routeByNameUntil = new Map<string, number>();
  private channel?: ChannelWrapper;
  private raw?: Channel;
  private replyQueue?: string;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly names: TopologyNames,
    private readonly connections: AmqpConnections,
    private readonly context: MessageContext,
    private readonly metrics: MessagingMetrics,
  ) {
    super();
  }

  private ensureChannel(): ChannelWrapper {
    if (this.channel) return this.channel;
    this.channel = this.connections.publisher.createChannel({
      name: 'rpc-client',
      // amqp-connection-manager defaults to confirm channels; requests, replies and acks need no
      // publisher confirms, and each confirm is one more frame each way per call.
      confirm: false,
      setup: async (channel: Channel) => {
        // A reply queue of this process's own (exclusive: gone with the connection), bound by its
        // name on the reply exchange. RabbitMQ's direct reply-to would need every service to
        // publish replies on the default exchange, and so be allowed to write to any queue.
        await declareRpcExchanges(channel, this.names);
        const replyQueue = this.names.newReplyQueue();
        await channel.assertQueue(replyQueue, { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-queue-type': 'classic' } });
        await channel.bindQueue(replyQueue, this.names.replyExchange, replyQueue);
        await channel.consume(replyQueue, (msg) => msg && this.onReply(msg), { noAck: true });
        channel.on('return', (msg: Message) => this.onReturned(channel, msg));
        this.replyQueue = replyQueue;
        this.raw = channel;
        channel.once('close', () => {
          if (this.raw === channel) {
            this.raw = undefined;
            this.replyQueue = undefined;
          }
          // Replies to calls sent on this channel can no longer arrive.
          for (const [id, call] of this.pending) {
            clearTimeout(call.timer);
            this.pending.delete(id);
            call.reject(new BrokerUnavailableError());
          }
        });
      },
    });
    return this.channel;
  }

  /** Connects the reply channel; optional, the first call does it too. */
  async connect(): Promise<void> {
    await this.ensureChannel().waitForConnect();
  }

  call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, options: CallOptions = {}): Promise<RpcResponse<C>> {
    return this.request(contract.name, payload, options) as Promise<RpcResponse<C>>;
  }

  /**
   * As `call`, but the reply's data comes back as the UTF-8 JSON it arrived in, unread, with the
   * record's version when the data is one record: for an edge that hands an answer on as it is
   * (the gateway's lists and GETs by id, the version for their ETag). Reading a 25-row page and
   * writing it out again cost ~0.06-0.08 ms of CPU per call here, a sixth of the gateway's share.
   * The serving side has checked the reply against the contract already (RpcServer).
   */
  callForJson<C extends RpcContract>(contract: C, payload: RpcRequest<C>, options: CallOptions = {}): Promise<RelayableData> {
    return this.request(contract.name, payload, options, true) as Promise<RelayableData>;
  }

  /** ClientProxy's `send`: the pattern is the message name; the request goes as it is, with the current caller's token. */
  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    this.request(String(packet.pattern), packet.data).then(
      (response) => callback({ response, isDisposed: true }),
      (err: unknown) => callback({ err, isDisposed: true }),
    );
    return () => undefined;
  }

  protected dispatchEvent(): Promise<never> {
    return Promise.reject(new Error('events leave through the outbox (EventPublisher), not through the request client'));
  }

  unwrap<T>(): T {
    return this.connections.publisher as T;
  }

  close(): Promise<void> {
    return this.onApplicationShutdown();
  }

  private async request(messageName: string, request: unknown, options: CallOptions = {}, asJson = false): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.options.rpc.defaultTimeoutMs;
    const service = owningService(messageName);
    const queue = this.names.rpcQueueOf(service);
    const stopTimer = this.metrics.rpcClientDuration.startTimer({ service: this.options.service, type: messageName });
    try {
      // Once connected and the queue's consumers known, nothing is awaited before the publish (two
      // awaited async calls cost each request two promises and two turns of the microtask queue).
      const channel = this.raw ?? (await this.readyChannel());
      if ((this.knownConsumers(queue) ?? (await this.consumersOf(queue))) === 0) throw new NoConsumersError(queue);
      // Outside a request (a job, a script) no trace is sent: the serving side starts it.
      const trace = this.context.ongoing();
      const correlationId = randomUUID();
      const reply = new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(correlationId);
          reject(new RpcTimeoutError(messageName, timeoutMs));
        }, timeoutMs);
        this.pending.set(correlationId, { resolve, reject, timer, messageName, asJson });
      });
      const envelope: RpcRequestEnvelope = {
        payload: request,
        token: options.token ?? this.context.callerToken(),
        correlationId: trace.correlationId,
        traceparent: trace.traceparent,
      };
      // Routed to the service's queue by the message name (its first segment is the owning service),
      // or by the service's name for a caller that may send every request (TopologyNames). The trace rides in the JSON body, not in AMQP headers: a headers table cost the broker and
      // both ends ~15 us per call here, a tenth of a call's CPU (raw amqplib, alternated runs).
      const [exchange, routingKey] = this.routesByService(service) ? [this.names.serviceRequestExchange, service] : [this.names.requestExchange, messageName];
      channel.publish(exchange, routingKey, Buffer.from(this.envelopes.text(envelope)), {
        correlationId,
        ...(options.requestId && { messageId: options.requestId }),
        replyTo: this.replyQueue,
        type: messageName,
        contentType: 'application/json',
        // A request nobody took in time is dropped by the broker instead of being answered late.
        expiration: String(timeoutMs),
        // A request no queue is bound for comes back (onReturned) instead of vanishing until the timeout.
        mandatory: true,
      });
      const result = await reply;
      stopTimer({ outcome: 'ok' });
      return result;
    } catch (error) {
      stopTimer({ outcome: (error as { code?: string }).code ?? 'error' });
      throw error;
    }
  }

  private routesByService(service: string): boolean {
    if (!this.options.rpc.routeByService) return false;
    const until = this.routeByNameUntil.get(service);
    if (until === undefined) return true;
    if (until > Date.now()) return false;
    this.routeByNameUntil.delete(service);
    return true;
  }

  /**
   * A request the broker routed to no queue. Sent by service, it reached a service of the previous
   * release, whose queue is bound on the topic exchange only (the gateways were upgraded first): it
   * goes again by its message name, and so do that service's requests for a while. Routed nowhere
   * by name either (no queue bound for it), the call ends now with NoConsumersError, not at its timeout.
   */
  private onReturned(channel: Channel, msg: Message): void {
    const call = this.pending.get(msg.properties.correlationId);
    if (!call) return;
    const service = owningService(call.messageName);
    if (msg.fields.exchange === this.names.serviceRequestExchange) {
      this.routeByNameUntil.set(service, Date.now() + ROUTE_BY_NAME_FOR_MS);
      channel.publish(this.names.requestExchange, call.messageName, msg.content, resentProperties(msg));
      return;
    }
    clearTimeout(call.timer);
    this.pending.delete(msg.properties.correlationId);
    call.reject(new NoConsumersError(this.names.rpcQueueOf(service)));
  }

  private async readyChannel(): Promise<Channel> {
    if (this.raw) return this.raw;
    if (!this.connections.publisher.isConnected()) throw new BrokerUnavailableError();
    await waitAtMost(this.ensureChannel().waitForConnect(), 2_000);
    if (!this.raw) throw new BrokerUnavailableError();
    return this.raw;
  }

  /** The queue's consumer count while its last check is fresh, so the check costs nothing on the hot path (undefined: check it). */
  private knownConsumers(queue: string): number | undefined {
    const known = this.presence.get(queue);
    return known && Date.now() - known.checkedAt < this.options.rpc.presenceTtlMs ? known.consumers : undefined;
  }

  /** Checks the queue's consumer count (one check at a time; meanwhile a count above zero from before answers). */
  private async consumersOf(queue: string): Promise<number> {
    const known = this.presence.get(queue);
    if (known?.refresh) return known.consumers > 0 ? known.consumers : known.refresh;
    const refresh = this.checkConsumers(queue);
    this.presence.set(queue, { consumers: known?.consumers ?? 0, checkedAt: known?.checkedAt ?? 0, refresh });
    const consumers = await refresh;
    this.presence.set(queue, { consumers, checkedAt: Date.now() });
    return consumers;
  }

  private async checkConsumers(queue: string): Promise<number> {
    try {
      const channel = await this.readyChannel();
      // Declaring (idempotently, exactly as the server does) instead of checking: a check of a
      // missing queue would close the channel; the declaration answers with the consumer count.
      return (await declareRpcQueue(channel, queue)).consumerCount;
    } catch {
      return 0;
    }
  }

  private onReply(msg: ConsumeMessage): void {
    const call = this.pending.get(msg.properties.correlationId);
    if (!call) return; // late reply to a call that already timed out
    this.pending.delete(msg.properties.correlationId);
    clearTimeout(call.timer);
    try {
      const data = call.asJson ? relayableData(msg.content) : undefined;
      if (data) {
        call.resolve(data);
        return;
      }
      const reply = JSON.parse(msg.content.toString('utf8')) as RpcReply;
      if (!reply.ok) call.reject(new RemoteError(call.messageName, reply.error));
      else if (!call.asJson) call.resolve(reply.data);
      // Read whole: a reply of a service of the previous release (no `version` key) still gives its record's version.
      else call.resolve({ json: Buffer.from(JSON.stringify(reply.data ?? null)), version: reply.version ?? recordVersion(reply.data) });
    } catch (error) {
      call.reject(new Error(`unreadable reply to ${call.messageName}: ${(error as Error).message}`));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(new BrokerUnavailableError());
    }
    this.pending.clear();
    await this.channel?.close().catch(() => undefined);
  }
}

/** A returned request's properties, to publish it again (mandatory still). */
function resentProperties({ properties }: Message): Options.Publish {
  return {
    correlationId: properties.correlationId,
    ...(properties.messageId && { messageId: properties.messageId }),
    replyTo: properties.replyTo,
    type: properties.type,
    contentType: properties.contentType,
    expiration: properties.expiration,
    mandatory: true,
  };
}
