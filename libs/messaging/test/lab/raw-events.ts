import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@crm/contracts';
import { withRawChannel } from './broker';

/** An envelope as the owner of `type` (its first segment) would publish it. */
export function labEnvelope(type: string, data: unknown, id = randomUUID()): EventEnvelope {
  return {
    specversion: '1.0',
    id,
    source: `crm/${type.split('.')[0]}`,
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    tenantid: 'lab',
    data,
  };
}

/**
 * Publishes raw bodies straight to a queue or exchange, bypassing the outbox (tests only), with
 * the connection's user as AMQP user-id (as the relay does) unless `userId` says otherwise
 * (`null`: none).
 */
export async function sendRaw(
  url: string,
  target: { exchange?: string; queue?: string; routingKey?: string },
  bodies: (string | object)[],
  userId: string | null = decodeURIComponent(new URL(url).username) || 'guest',
) {
  await withRawChannel(url, async (channel) => {
    for (const body of bodies) {
      const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const type = typeof body === 'object' && 'type' in body ? String(body.type) : undefined;
      const messageId = typeof body === 'object' && 'id' in body ? String(body.id) : undefined;
      const properties = { persistent: true, type, messageId, ...(userId !== null && { userId }) };
      if (target.queue) channel.sendToQueue(target.queue, content, properties);
      else channel.publish(target.exchange ?? '', target.routingKey ?? '', content, properties);
    }
    await channel.waitForConfirms();
  });
}
