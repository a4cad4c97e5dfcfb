import type { ConsumeMessage } from 'amqplib';

/**
 * Gathers the deliveries of one channel into batches: a batch is handed over when it is full,
 * or once the deliveries that arrived together have all been read (amqplib hands over every
 * delivery of one socket read in a row, then the event loop turns: setImmediate runs after).
 * Under load, batches fill up; a lone delivery waits for nothing.
 */
export class DeliveryBatcher {
  private pending: ConsumeMessage[] = [];
  private scheduled = false;

  constructor(
    private readonly batchSize: number,
    private readonly flush: (batch: ConsumeMessage[]) => void,
  ) {}

  add(msg: ConsumeMessage): void {
    this.pending.push(msg);
    if (this.pending.length >= this.batchSize) return this.handOver();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.handOver();
    });
  }

  private handOver(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flush(batch);
  }
}
