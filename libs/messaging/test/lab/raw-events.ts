import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@crm/contracts';
import { withRawChannel } from './broker';

export function labEnvelope(type: string, data: unknown, id = randomUUID()): EventEnvelope {
  return {
    specversion: '1.0',
    id,
    source: 'crm/test',
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    tenantid: 'lab',
    data,
  };
}

/** Publishes raw bodies straight to a queue or exchange, bypassing the outbox (tests only). */
export async function sendRaw(url: string, target: { exchange?: string; queue?: string; routingKey?: string }, bodies: (string | object)[]) {
  await withRawChannel(url, async (channel) => {
    for (const body of bodies) {
      const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const type = typeof body === 'object' && 'type' in body ? String(body.type) : undefined;
      const messageId = typeof body === 'object' && 'id' in body ? String(body.id) : undefined;
      if (target.queue) channel.sendToQueue(target.queue, content, { persistent: true, type, messageId });
      else channel.publish(target.exchange ?? '', target.routingKey ?? '', content, { persistent: true, type, messageId });
    }
    await channel.waitForConfirms();
  });
}
