import type { ConsumeMessage } from 'amqplib';

/**
 * Gathers the deliveries of one channel into batches. A full batch goes at once (up to
 * `maxInFlight` batches applied at a time); a partial one only when nothing is being applied,
 * once the deliveries that arrived together have been read (setImmediate runs after amqplib
 * has handed over every delivery of one socket read). While batches are applied the next one
 * fills up: under a backlog batches stay full (each ack lets the broker send a few more, and
 * handing those over at once kept batches at 3 or 4 deliveries); a lone delivery waits for nothing.
 */
export class DeliveryBatcher {
  private pending: ConsumeMessage[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly batchSize: number,
    private readonly maxInFlight: number,
    private readonly apply: (batch: ConsumeMessage[]) => Promise<void>,
  ) {}

  add(msg: ConsumeMessage): void {
    this.pending.push(msg);
    if (this.pending.length >= this.batchSize && this.inFlight < this.maxInFlight) return this.handOver();
    if (this.scheduled || this.inFlight > 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight === 0) this.handOver();
    });
  }

  private handOver(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.batchSize);
    this.inFlight++;
    const done = () => {
      this.inFlight--;
      while (this.pending.length > 0 && this.inFlight < this.maxInFlight && (this.pending.length >= this.batchSize || this.inFlight === 0)) {
        this.handOver();
      }
    };
    this.apply(batch).then(done, done);
  }
}
