import { randomBytes } from 'node:crypto';

/** A unique RabbitMQ name prefix for one test (exchanges, queues): `t<random>.` */
export function testBusPrefix(): string {
  return `t${randomBytes(5).toString('hex')}.`;
}
