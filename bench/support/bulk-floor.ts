import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { cpuSnapshot, cpuSpent, systemCpuGroups } from './cpu-budget';

/**
 * The least CPU one bulk-upserted contact can cost on this machine with the design's parts and
 * none of the services' code: what every row must go through when each write publishes a
 * per-record event through an outbox and each consumer applies it through an inbox. Measured in
 * the benchmark's run, next to the system's own cost, so the gap between them is the services'
 * code and anything above the floor's ceiling is out of reach here.
 */
export interface BulkFloor {
  /** CPU milliseconds per row, by part. */
  bus: number;
  postgres: number;
  clients: number;
}

const BATCH = 1_000;
const { rabbitmq } = systemCpuGroups({}, []);
const RABBITMQ = { rabbitmq };

/** A contact's created event as the contacts service publishes it (CloudEvents envelope, the contact's fields): ~1 KB. */
function eventOf(i: number, tenantId: string): Record<string, unknown> {
  const id = randomUUID();
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: 'contacts.contact.created.v1',
    source: 'contacts',
    subject: id,
    time: new Date().toISOString(),
    tenantid: tenantId,
    entityversion: 1,
    correlationid: randomUUID(),
    datacontenttype: 'application/json',
    data: {
      contact: {
        id,
        firstName: `Person${i}`,
        lastName: `Bench${i % 997}`,
        emails: [{ address: `person${i}@bench.example`, label: 'work', primary: true }],
        phones: [{ number: `+4930${1_000_000 + i}`, label: 'work', primary: true }],
        title: 'Title 1',
        companyId: null,
        ownerId: null,
        tags: [],
        customFields: {},
        externalIds: [{ system: 'bench-erp', externalId: `erp-${i}` }],
        version: 1,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        deletedAt: null,
      },
    },
  };
}

/**
 * The bus's part: every event published persistent with publisher confirms (awaited per batch)
 * to a topic exchange bound to `consumers` quorum queues (as the services' work queues are),
 * consumed by raw amqplib consumers that ack in runs (`ack(..., true)`).
 */
export async function busFloor(rabbitmqUrl: string, rows: number, consumers: number): Promise<{ bus: number; clients: number }> {
  const connection = await amqp.connect(rabbitmqUrl, { noDelay: true });
  const tag = `bench.bulk-floor.${process.pid}.${Date.now()}`;
  const queues = Array.from({ length: consumers }, (_, k) => `${tag}.${k}`);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(tag, 'topic', { durable: false, autoDelete: true });
    for (const queue of queues) {
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      await channel.bindQueue(queue, tag, 'contacts.#');
    }
    let outstanding = rows * consumers;
    let allConsumed!: () => void;
    const consumed = new Promise<void>((resolve) => (allConsumed = resolve));
    for (const queue of queues) {
      const consumer = await connection.createChannel();
      await consumer.prefetch(BATCH);
      let unacked = 0;
      await consumer.consume(queue, (msg) => {
        if (!msg) return;
        JSON.parse(msg.content.toString()); // a consumer reads what it gets
        if (++unacked === 100 || outstanding <= 100) {
          consumer.ack(msg, true);
          unacked = 0;
        }
        if (--outstanding === 0) allConsumed();
      });
    }
    const tenantId = randomUUID();
    const bodies = Array.from({ length: BATCH }, (_, i) => Buffer.from(JSON.stringify(eventOf(i, tenantId))));
    const before = cpuSnapshot(RABBITMQ);
    const clientBefore = process.cpuUsage();
    for (let i = 0; i < rows; i++) {
      channel.publish(tag, 'contacts.contact.created.v1', bodies[i % BATCH], { persistent: true, contentType: 'application/json', messageId: String(i) });
      if (i % BATCH === BATCH - 1) await channel.waitForConfirms();
    }
    await channel.waitForConfirms();
    await consumed;
    const broker = cpuSpent(before, cpuSnapshot(RABBITMQ))['rabbitmq'];
    const client = process.cpuUsage(clientBefore);
    for (const queue of queues) await channel.deleteQueue(queue);
    return { bus: (broker / rows) * 1000, clients: (client.user + client.system) / 1000 / rows };
  } finally {
    await connection.close();
  }
}

/**
 * Postgres's part, in a scratch schema of `databaseUrl`'s database, batches of 1,000 rows, each
 * statement set-based with the batch as one jsonb parameter: the owner's upsert by external id
 * and its outbox rows in one transaction; the relay taking them out; then, per consumer, its inbox
 * rows and one row it keeps per event, in one transaction. Run twice over the same rows (insert,
 * then update), as the benchmark's two runs.
 */
export async function postgresFloor(databaseUrl: string, rows: number, consumers: number): Promise<{ postgres: number; clients: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const postgres = { postgres: systemCpuGroups({}, [new URL(databaseUrl).pathname.slice(1)])['postgres'] };
  const schema = `bulk_floor_${process.pid}`;
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    await client.query(`CREATE TABLE contact (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, system text NOT NULL, external_id text NOT NULL,
      first_name text, last_name text, email text, phone text, title text, version int NOT NULL, updated_at timestamptz NOT NULL,
      UNIQUE (tenant_id, system, external_id))`);
    await client.query('CREATE TABLE outbox (id bigserial PRIMARY KEY, payload jsonb NOT NULL)');
    for (let k = 0; k < consumers; k++) {
      await client.query(`CREATE TABLE inbox_${k} (event_id uuid PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now())`);
      await client.query(`CREATE TABLE copy_${k} (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, first_name text, last_name text, email text, version int NOT NULL)`);
    }
    const tenantId = randomUUID();
    const before = cpuSnapshot(postgres);
    const clientBefore = process.cpuUsage();
    for (const round of [1, 2]) {
      for (let start = 0; start < rows; start += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, rows - start) }, (_, i) => {
          const n = start + i;
          return { id: randomUUID(), external_id: `erp-${n}`, first_name: `Person${n}`, last_name: `Bench${n % 997}`, email: `person${n}@bench.example`, phone: `+4930${1_000_000 + n}`, title: `Title ${round}` };
        });
        await client.query('BEGIN');
        const written = await client.query<{ id: string; version: number }>(
          `INSERT INTO contact (id, tenant_id, system, external_id, first_name, last_name, email, phone, title, version, updated_at)
           SELECT r.id, $2, 'bench-erp', r.external_id, r.first_name, r.last_name, r.email, r.phone, r.title, 1, now()
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, external_id text, first_name text, last_name text, email text, phone text, title text)
           ON CONFLICT (tenant_id, system, external_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
             email = excluded.email, phone = excluded.phone, title = excluded.title, version = contact.version + 1, updated_at = now()
           WHERE (contact.first_name, contact.last_name, contact.email, contact.phone, contact.title)
             IS DISTINCT FROM (excluded.first_name, excluded.last_name, excluded.email, excluded.phone, excluded.title)
           RETURNING id, version`,
          [JSON.stringify(batch), tenantId],
        );
        const events = written.rows.map((row, i) => {
          const event = eventOf(start + i, tenantId);
          (event['data'] as { contact: Record<string, unknown> }).contact['id'] = row.id;
          return event;
        });
        await client.query('INSERT INTO outbox (payload) SELECT value FROM jsonb_array_elements($1::jsonb)', [JSON.stringify(events)]);
        await client.query('COMMIT');
        // The relay: takes the oldest rows out as it publishes them.
        await client.query('BEGIN');
        const relayed = await client.query<{ payload: Record<string, unknown> }>(
          'DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED) RETURNING payload',
        );
        await client.query('COMMIT');
        const delivered = JSON.stringify(relayed.rows.map((row) => row.payload));
        for (let k = 0; k < consumers; k++) {
          await client.query('BEGIN');
          await client.query(`INSERT INTO inbox_${k} (event_id) SELECT (e->>'id')::uuid FROM jsonb_array_elements($1::jsonb) e ON CONFLICT DO NOTHING`, [delivered]);
          await client.query(
            `INSERT INTO copy_${k} (id, tenant_id, first_name, last_name, email, version)
             SELECT (c->>'id')::uuid, (e->>'tenantid')::uuid, c->>'firstName', c->>'lastName', c->'emails'->0->>'address', (c->>'version')::int
             FROM jsonb_array_elements($1::jsonb) e, LATERAL (SELECT e->'data'->'contact') AS x(c)
             ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, version = excluded.version
             WHERE copy_${k}.version < excluded.version`,
            [delivered],
          );
          await client.query('COMMIT');
        }
      }
    }
    const spent = cpuSpent(before, cpuSnapshot(postgres))['postgres'];
    const clientSpent = process.cpuUsage(clientBefore);
    return { postgres: (spent / (2 * rows)) * 1000, clients: (clientSpent.user + clientSpent.system) / 1000 / (2 * rows) };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}
