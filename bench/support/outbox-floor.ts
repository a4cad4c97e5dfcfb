import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as amqp from 'amqplib';
import { Client, Pool } from 'pg';
import { sleep } from './processes';

/**
 * The outbox -> broker -> inbox path with none of the library's code: raw pg and amqplib doing
 * only what the design requires of every event, so the library's row can be read against what
 * its parts cost on this machine in the same run.
 *
 * - Writers: `concurrency` loops, one autocommit INSERT of an outbox row per event (one
 *   transaction each, as the library's row; no BEGIN/COMMIT round trips).
 * - Relay: reads up to 500 unsent rows in seq order through the (sent_at, seq) index, publishes
 *   them persistent on a confirm channel to a topic exchange, waits for the confirms, marks
 *   them sent with one UPDATE; polls every 2 ms when idle.
 * - Consumer: a quorum queue (as the services' work queues), prefetch 500; what arrived by the
 *   next turn of the event loop goes into the inbox and the effect table with one statement
 *   (the inbox row first, the effect only for new ones), then one `ack(..., true)`.
 *
 * Tables are the lab's shapes, in a scratch schema of each database, dropped afterwards.
 */
export interface OutboxFloorResult {
  arrived: number;
  seconds: number;
}

const RELAY_BATCH = 500;
const PREFETCH = 500;

export async function runOutboxFloor(
  urls: { rabbitmq: string; publisherDb: string; consumerDb: string },
  events: number,
  concurrency: number,
  maxSeconds: number,
): Promise<OutboxFloorResult> {
  const schema = `outbox_floor_${process.pid}`;
  const tag = `bench.outbox-floor.${process.pid}.${Date.now()}`;
  const setup = async (url: string, ddl: string[]) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const statement of [`DROP SCHEMA IF EXISTS ${schema} CASCADE`, `CREATE SCHEMA ${schema}`, ...ddl]) await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await setup(urls.publisherDb, [
    `CREATE TABLE ${schema}.outbox_message (seq bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, type text NOT NULL, routing_key text NOT NULL,
       tenant_id text NOT NULL, subject text, envelope jsonb NOT NULL, headers jsonb NOT NULL, created_at timestamptz(3) NOT NULL DEFAULT now(),
       sent_at timestamptz(3), attempts int NOT NULL DEFAULT 0, last_error text)`,
    `CREATE INDEX ON ${schema}.outbox_message (sent_at, seq)`,
  ]);
  await setup(urls.consumerDb, [
    `CREATE TABLE ${schema}.inbox_message (consumer text NOT NULL, event_id uuid NOT NULL, type text NOT NULL,
       received_at timestamptz(3) NOT NULL DEFAULT now(), PRIMARY KEY (consumer, event_id))`,
    `CREATE INDEX ON ${schema}.inbox_message (received_at)`,
    `CREATE TABLE ${schema}.lab_effect (id serial PRIMARY KEY, event_id uuid NOT NULL, item_id int NOT NULL, applied_at timestamptz(3) NOT NULL DEFAULT now())`,
    `CREATE INDEX ON ${schema}.lab_effect (event_id)`,
  ]);

  const writers = new Pool({ connectionString: urls.publisherDb, max: concurrency });
  const relayDb = new Client({ connectionString: urls.publisherDb });
  const consumerDb = new Client({ connectionString: urls.consumerDb });
  const publishing = await amqp.connect(urls.rabbitmq, { noDelay: true });
  const consuming = await amqp.connect(urls.rabbitmq, { noDelay: true });
  await relayDb.connect();
  await consumerDb.connect();
  let stopped = false;
  try {
    const confirm = await publishing.createConfirmChannel();
    await confirm.assertExchange(tag, 'topic', { durable: false, autoDelete: true });
    const queue = `${tag}.lab`;
    await confirm.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await confirm.bindQueue(queue, tag, 'lab.#');

    let arrived = 0;
    let allArrived!: () => void;
    const done = new Promise<void>((resolve) => (allArrived = resolve));
    const channel = await consuming.createChannel();
    await channel.prefetch(PREFETCH);
    let pending: amqp.ConsumeMessage[] = [];
    let applying = Promise.resolve();
    const apply = async (batch: amqp.ConsumeMessage[]) => {
      const parsed = batch.map((m) => JSON.parse(m.content.toString()) as { id: string; type: string; data: { itemId: number } });
      await consumerDb.query(
        `WITH e AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[]) AS e(id, type, item_id)),
              fresh AS (INSERT INTO ${schema}.inbox_message (consumer, event_id, type) SELECT 'lab', id, type FROM e ON CONFLICT DO NOTHING RETURNING event_id)
         INSERT INTO ${schema}.lab_effect (event_id, item_id) SELECT e.id, e.item_id FROM e JOIN fresh ON fresh.event_id = e.id`,
        [parsed.map((p) => p.id), parsed.map((p) => p.type), parsed.map((p) => p.data.itemId)],
      );
      channel.ack(batch[batch.length - 1], true);
      arrived += batch.length;
      if (arrived >= events) allArrived();
    };
    await channel.consume(queue, (message) => {
      if (!message) return;
      if (pending.length === 0) {
        setImmediate(() => {
          const batch = pending;
          pending = [];
          applying = applying.then(() => apply(batch));
        });
      }
      pending.push(message);
    });

    const relay = async () => {
      while (!stopped) {
        const { rows } = await relayDb.query<{ seq: string; id: string; type: string; routing_key: string; envelope: string }>(
          `SELECT seq::text, id::text, type, routing_key, envelope::text FROM ${schema}.outbox_message
           WHERE sent_at IS NULL ORDER BY sent_at, seq LIMIT ${RELAY_BATCH}`,
        );
        if (rows.length === 0) {
          await sleep(2);
          continue;
        }
        for (const row of rows) {
          confirm.publish(tag, row.routing_key, Buffer.from(row.envelope), { persistent: true, messageId: row.id, type: row.type, contentType: 'application/json' });
        }
        await confirm.waitForConfirms();
        await relayDb.query(`UPDATE ${schema}.outbox_message SET sent_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      }
    };

    let next = 0;
    const writer = async () => {
      while (next < events && !stopped) {
        const itemId = next++;
        const id = randomUUID();
        const envelope = {
          specversion: '1.0',
          id,
          source: 'crm/lab',
          type: 'lab.item.created.v1',
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          tenantid: 'lab',
          subject: `item-${itemId}`,
          entityversion: 1,
          data: { itemId },
        };
        await writers.query(
          `INSERT INTO ${schema}.outbox_message (id, type, routing_key, tenant_id, subject, envelope, headers) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, envelope.type, envelope.type, 'lab', envelope.subject, JSON.stringify(envelope), '{}'],
        );
      }
    };

    const t0 = performance.now();
    const relaying = relay();
    const writing = Promise.all(Array.from({ length: concurrency }, writer));
    const all = await Promise.race([done.then(() => true), sleep(maxSeconds * 1000).then(() => false)]);
    const seconds = (performance.now() - t0) / 1000;
    const result = { arrived: Math.min(arrived, events), seconds: all ? seconds : maxSeconds };
    stopped = true;
    await writing;
    await relaying;
    await applying;
    await confirm.deleteQueue(queue).catch(() => undefined);
    return result;
  } finally {
    stopped = true;
    await publishing.close().catch(() => undefined);
    await consuming.close().catch(() => undefined);
    await writers.end();
    for (const client of [relayDb, consumerDb]) {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
