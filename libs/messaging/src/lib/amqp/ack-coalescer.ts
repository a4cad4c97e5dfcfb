import type { Channel, Message } from 'amqplib';

/**
 * Acks the deliveries of one channel (requests, events) with as few frames as possible:
 * completions within one turn of the event loop that form a run from the oldest delivery go out
 * as one `multiple` ack (a batch of events committed together: one frame instead of one each);
 * any other completion is acked on its own, so a slow delivery never holds back the others' acks
 * (nor, through the prefetch window, new deliveries).
 */
export class AckCoalescer {
  private readonly inFlight: number[] = [];
  private readonly done = new Set<number>();
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  received(msg: Message): void {
    this.inFlight.push(msg.fields.deliveryTag); // delivery tags only grow on a channel
    this.schedule();
  }

  completed(msg: Message): void {
    this.done.add(msg.fields.deliveryTag);
    this.schedule();
  }

  /** A delivery settled otherwise (nacked for redelivery): no ack will cover it. */
  abandoned(msg: Message): void {
    const at = this.inFlight.indexOf(msg.fields.deliveryTag);
    if (at !== -1) this.inFlight.splice(at, 1);
    this.done.delete(msg.fields.deliveryTag);
  }

  /**
   * Flushes in the event loop's next check phase. Scheduled on receipt too, and so ahead of
   * amqplib's frame writer, which is scheduled the same way when the reply is published: a
   * delivery handled within its turn (a request answered from memory, a cached read) has its ack
   * leave in the same socket write as its reply instead of one write later.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sends what is due now (also called at shutdown, before the channel closes). */
  flush(): void {
    this.scheduled = false;
    let upTo: number | undefined;
    while (this.inFlight.length > 0 && this.done.has(this.inFlight[0])) {
      upTo = this.inFlight.shift();
      this.done.delete(upTo as number);
    }
    try {
      if (upTo !== undefined) this.channel.ack(tag(upTo), true);
      for (const single of this.done) {
        this.channel.ack(tag(single), false);
        this.inFlight.splice(this.inFlight.indexOf(single), 1);
      }
    } catch {
      // channel closed: the broker requeues what it still held
    }
    this.done.clear();
  }
}

const tag = (deliveryTag: number) => ({ fields: { deliveryTag } }) as Message;
