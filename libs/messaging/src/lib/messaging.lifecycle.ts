import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from './messaging.options';
import { OutboxRelay } from './outbox/outbox-relay';
import { MessagingTransport } from './transport/messaging.transport';

/**
 * Starts the outbox relay (the consumers start with the transport, `app.startAllMicroservices()`),
 * and stops the bus in the order that loses nothing: stop taking deliveries, let handlers in
 * flight finish and ack, flush the outbox, close.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly transport: MessagingTransport,
    private readonly relay: OutboxRelay,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.relay.enabled) this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const started = Date.now();
    // Nest closes connected transports only after this hook: the relay's last flush must follow the consumers' last commits.
    await this.transport.close();
    this.logger.log(`consumers stopped, handlers in flight finished (${Date.now() - started} ms)`);
    await this.relay.stop();
    this.logger.log(`outbox relay flushed and stopped (${Date.now() - started} ms)`);
  }
}
