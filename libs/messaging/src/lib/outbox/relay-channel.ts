import type { ConfirmChannel, Options } from 'amqplib';
import { AmqpConnections } from '../amqp/amqp-connections';
import { withTimeout } from '../timing';

export interface RelayMessage {
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/**
 * The relay's confirm channel, an amqplib ConfirmChannel of its own on the publishing
 * connection. Not amqp-connection-manager's ChannelWrapper: the wrapper keeps unconfirmed
 * messages in a queue and sends them again on the next channel after a reconnect, interleaved
 * with whatever is published then, so a reconnect in the middle of a batch could reorder
 * events. Here a batch either has every confirm, or fails whole and is published again from
 * its first row on a new channel (duplicates are absorbed by the consumers' inboxes).
 */
export class RelayChannel {
  private channel?: ConfirmChannel;
  private opening?: Promise<ConfirmChannel>;

  constructor(
    private readonly connections: AmqpConnections,
    private readonly exchange: string,
  ) {}

  /**
   * Publishes the messages in order and waits for all their confirms, at most `timeoutMs`.
   * `midway` runs once half of them are on the channel (fault tests).
   */
  async publishConfirmed(messages: RelayMessage[], timeoutMs: number, midway?: () => void | Promise<void>): Promise<void> {
    const channel = await withTimeout(this.open(), timeoutMs, 'relay channel did not open');
    const confirms: Promise<void>[] = [];
    const half = Math.floor(messages.length / 2);
    for (let i = 0; i < messages.length; i++) {
      if (i === half && midway) await midway();
      const { routingKey, content, options } = messages[i];
      confirms.push(
        new Promise<void>((resolve, reject) => {
          try {
            channel.publish(this.exchange, routingKey, content, options, (error) => (error ? reject(error) : resolve()));
          } catch (error) {
            reject(error as Error);
          }
        }),
      );
    }
    try {
      // amqplib fails every unconfirmed publish when the channel closes; a broker that simply
      // stops answering (amqplib issue 530) is what the timeout is for.
      await withTimeout(Promise.all(confirms), timeoutMs, `publisher confirms not received within ${timeoutMs} ms`);
    } catch (error) {
      // Confirms may still come for this channel: the next batch starts on a fresh one.
      this.discard(channel);
      throw error;
    }
  }

  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
  }

  private open(): Promise<ConfirmChannel> {
    if (this.channel) return Promise.resolve(this.channel);
    this.opening ??= this.create().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async create(): Promise<ConfirmChannel> {
    const connection = this.connections.publisher.connection;
    if (!connection) throw new Error('publishing connection to the broker is down');
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined); // a channel error also closes it: handled below
    channel.once('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    this.channel = channel;
    return channel;
  }

  private discard(channel: ConfirmChannel): void {
    if (this.channel === channel) this.channel = undefined;
    channel.close().catch(() => undefined);
  }
}
