import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventConsumer } from './consumer/event-consumer';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from './messaging.options';
import { OutboxRelay } from './outbox/outbox-relay';
import { RpcServer } from './rpc/rpc-server';

/**
 * Starts the bus once every handler is known, and stops it in the order that loses nothing:
 * stop taking deliveries, let handlers in flight finish and ack, flush the outbox, close.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly consumer: EventConsumer,
    private readonly rpcServer: RpcServer,
    private readonly relay: OutboxRelay,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
    await this.rpcServer.start();
    if (this.options.relay.enabled) this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const timeout = this.options.shutdownTimeoutMs;
    const started = Date.now();
    await Promise.all([this.consumer.stop(timeout), this.rpcServer.stop(timeout)]);
    this.logger.log(`consumers stopped, handlers in flight finished (${Date.now() - started} ms)`);
    await this.relay.stop();
    this.logger.log(`outbox relay flushed and stopped (${Date.now() - started} ms)`);
  }
}
