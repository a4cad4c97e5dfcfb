import { Inject, Injectable, Logger } from '@nestjs/common';
import { AmqpConnections } from '../amqp/amqp-connections';
import { TopologyNames } from '../amqp/topology';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../messaging.options';
import { MessagingMetrics } from '../metrics/messaging.metrics';
import { RelayChannel } from './relay-channel';
import { PendingOutboxRow, RelayRepository } from './relay.repository';
import { sleep } from '../timing';

/** Key of the advisory lock that lets one relay per database publish at a time. */
export const relayLockKey = (service: string) => `outbox-relay:${service}`;

const NUDGE_DELAY_MS = 5;

/**
 * Publishes committed outbox rows in commit order with publisher confirms, then marks them
 * sent. A batch whose confirms do not all arrive (broker down, blocked, timed out, the
 * connection closed halfway) stays pending and is published again from its first row:
 * duplicates are absorbed by the consumers' inboxes, and the order of first arrivals is the
 * commit order. Its statements run on the service's pg pool (RelayDatabase), not Prisma.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private channel?: RelayChannel;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A wake-up that arrived while a batch was running: the next idle returns at once. */
  private notified = false;
  /** Events were written in this process since the last drain began: it need not ask whether any wait. */
  private eventsWritten = false;
  private nudgeTimer?: NodeJS.Timeout;
  private lastCleanup = 0;
  /** The drain in progress in this process (loop or flush): the next one starts after it. */
  private drainTail: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly names: TopologyNames,
    private readonly connections: AmqpConnections,
    private readonly outbox: RelayRepository,
    private readonly metrics: MessagingMetrics,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.channel = new RelayChannel(this.connections, this.names.exchange);
    this.loop = this.run();
  }

  /** Stops the loop after one last drain, so committed events leave before the process does. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.nudgeTimer);
    this.nudge();
    await this.loop;
    await this.flush(this.options.shutdownTimeoutMs).catch(() => undefined);
    await this.channel?.close();
  }

  /** Drains until nothing is pending or the deadline passes. Used at shutdown and by tests. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const published = await this.drainOnce().catch(() => -1);
      if (published === 0) return;
      if (published < 0) await sleep(100);
    }
  }

  async pendingStats() {
    return this.outbox.pendingStats();
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        const published = await this.drainOnce();
        backoff = 100;
        if (published >= this.options.relay.batchSize) continue;
        if (published < 0) await this.idle(500);
        else await this.idle(this.options.relay.pollIntervalMs);
        await this.cleanupNowAndThen();
      } catch (error) {
        this.logger.warn(`outbox relay: ${(error as Error).message}; retrying in ${backoff} ms`);
        await this.idle(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  /**
   * Publishes one batch. Returns how many rows went out, 0 when nothing is pending or another
   * process's relay holds the lock, or -1 when the broker cannot take any. Drains of this
   * process run one after another: a flush that found the lock held by this process's own loop
   * returned 0 while that loop's batch was still on its way.
   */
  drainOnce(): Promise<number> {
    const drain = this.drainTail.then(() => this.drainBatch());
    this.drainTail = drain.catch(() => undefined);
    return drain;
  }

  private async drainBatch(): Promise<number> {
    if (!this.connections.publisher.isConnected() || this.connections.isBlocked()) {
      await this.updatePendingGauge();
      return -1;
    }
    const eventsWritten = this.eventsWritten;
    this.eventsWritten = false;
    this.notified = false;
    // An idle poll (ten a second) costs one cheap query, not a transaction with a lock: this
    // was a few percent of a core per idle service. A nudge means a transaction of this process
    // wrote events: straight to the batch.
    if (!eventsWritten && !(await this.outbox.hasPending())) {
      this.metrics.outboxPending.set({ service: this.options.service }, 0);
      this.metrics.outboxOldestAge.set({ service: this.options.service }, 0);
      return 0;
    }
    const sent = await this.outbox.batch(async (batch) => {
      // None: nothing pending (the next idle poll zeroes the gauges), or another replica's relay has the lock.
      const rows = await batch.lockedPending(relayLockKey(this.options.service), this.options.relay.batchSize);
      if (rows.length === 0) return rows;
      await this.publishConfirmed(rows);
      await this.options.faults.relayAfterConfirm?.(rows.map((r) => r.id));
      batch.markSentAtCommit(rows.map((r) => r.seq));
      return rows;
    });
    // Counted once marked sent: a batch whose COMMIT fails goes out again.
    for (const row of sent) this.metrics.published.inc({ service: this.options.service, type: row.type });
    return sent.length;
  }

  private async publishConfirmed(rows: PendingOutboxRow[]): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new Error('relay not started');
    const midway = this.options.faults.relayMidBatch;
    // One channel, rows in sequence order: the broker enqueues them in that order.
    await channel.publishConfirmed(
      rows.map((row) => ({
        routingKey: row.routingKey,
        content: Buffer.from(row.envelope),
        options: {
          persistent: true,
          // Validated by RabbitMQ against this connection's user: consumers know who published.
          userId: this.options.brokerUser,
          messageId: row.id,
          type: row.type,
          contentType: 'application/cloudevents+json',
          headers: JSON.parse(row.headers) as Record<string, string>,
        },
      })),
      this.options.relay.confirmTimeoutMs,
      midway && (() => midway(rows.slice(0, Math.floor(rows.length / 2)).map((r) => r.id))),
    );
  }

  private async updatePendingGauge(): Promise<void> {
    const stats = await this.pendingStats().catch(() => undefined);
    if (!stats) return;
    this.metrics.outboxPending.set({ service: this.options.service }, stats.count);
    this.metrics.outboxOldestAge.set({ service: this.options.service }, stats.oldestAgeSeconds);
  }

  /** Wakes the loop now (the app is stopping, or a test wants the rows out). */
  nudge(): void {
    this.notified = true;
    this.eventsWritten = true;
    this.wake?.();
  }

  /**
   * Called when an event was added inside a transaction that has not committed yet: drains a
   * few milliseconds later, once, however many events arrive meanwhile. The poll interval is
   * the fallback for rows committed by other replicas.
   */
  nudgeSoon(): void {
    if (this.nudgeTimer) return;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      this.nudge();
    }, NUDGE_DELAY_MS);
  }

  private idle(ms: number): Promise<void> {
    if (this.notified || !this.running) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.notified = false;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async cleanupNowAndThen(): Promise<void> {
    if (Date.now() - this.lastCleanup < 3600_000) return;
    this.lastCleanup = Date.now();
    await this.deleteExpired().catch((error: Error) => this.logger.warn(`cleanup of the bus tables failed: ${error.message}`));
  }

  /** Sent outbox rows, old inbox rows and old stored command replies (hourly, from the relay loop). */
  deleteExpired(): Promise<void> {
    return this.outbox.deleteExpired({
      sentOutboxMs: this.options.relay.retentionMs,
      inboxMs: this.options.inboxRetentionMs,
      commandRepliesMs: this.options.rpc.commandReplyRetentionMs,
    });
  }
}
