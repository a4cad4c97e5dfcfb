import { LabPublisher } from './lab/lab.handlers';
import { itemCreated } from './lab/lab.contracts';
import { countRows, query, waitFor } from './lab/delivery-report';
import { withRawChannel } from './lab/broker';
import { newLabWorld, LabWorld } from './lab/fixture';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Kysely, PostgresDialect } from 'kysely';
import { Socket } from 'node:net';
import { Pool } from 'pg';
import { EventPublisher, OutboxRelay, OutboxTables, PgSqlClient, TopologyNames } from '../src';
import { CommandInboxRepository } from '../src/lib/rpc/command-inbox/command-inbox.repository';
import { relayLockKey } from '../src/lib/outbox/outbox-relay';
import { PendingOutboxRow, RelayRepository } from '../src/lib/outbox/relay.repository';

const INSERT_OUTBOX_ROW = 'INSERT INTO outbox_message (id, type, routing_key, tenant_id, subject, envelope, headers) VALUES ($1, $2, $3, $4, $5, $6, $7)';

/** The lab's own table next to the outbox, as a service's generated Kysely types would have it. */
interface LabTables extends OutboxTables {
  lab_effect: { event_id: string; item_id: number };
}

describe('transactional outbox', () => {
  let world: LabWorld;
  afterEach(() => world?.close());

  it('sends nothing for a rolled-back transaction and exactly one message for a committed one', async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    const names = app.get(TopologyNames);
    const probe = `${world.prefix}probe`;
    await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      await channel.assertQueue(probe, { durable: false, autoDelete: false });
      await channel.bindQueue(probe, names.exchange, itemCreated.name);
    });

    const publisher = app.get(LabPublisher);
    await publisher.publishThenRollBack(1);
    await publisher.publishItems(2, 1, 1);
    await app.get(OutboxRelay).flush();

    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message')).toBe(1);
    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL')).toBe(0);
    const received = await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      const bodies: unknown[] = [];
      for (let msg = await channel.get(probe, { noAck: true }); msg; msg = await channel.get(probe, { noAck: true })) {
        bodies.push(JSON.parse(msg.content.toString()));
      }
      await channel.deleteQueue(probe);
      return bodies;
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      specversion: '1.0',
      type: 'lab.item.created.v1',
      source: 'crm/lab',
      tenantid: 'lab',
      subject: 'item-2',
      entityversion: 1,
      data: { itemId: 2 },
    });
  });

  it('publishes a batch (publishMany) with its transaction: nothing on rollback, every event once on commit', async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    const names = app.get(TopologyNames);
    const probe = `${world.prefix}probe-many`;
    await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      await channel.assertQueue(probe, { durable: false, autoDelete: false });
      await channel.bindQueue(probe, names.exchange, itemCreated.name);
    });
    const events = app.get(EventPublisher);
    const txHost = app.get(TransactionHost);
    const batch = (from: number) =>
      Array.from({ length: 50 }, (_, i) => ({ data: { itemId: from + i }, meta: { tenantId: 'lab', subject: `item-${from + i}`, entityVersion: 1 } }));

    await txHost
      .withTransaction(async () => {
        await events.publishMany(itemCreated, batch(1000));
        throw new Error('business rule failed after publishing');
      })
      .catch(() => undefined);
    const envelopes = await txHost.withTransaction(() => events.publishMany(itemCreated, batch(2000)));
    expect(envelopes.map((e) => e.subject)).toEqual(batch(2000).map((b) => b.meta.subject));
    await app.get(OutboxRelay).flush();

    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message')).toBe(50);
    const received = await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      const bodies: { id: string; data: { itemId: number } }[] = [];
      for (let msg = await channel.get(probe, { noAck: true }); msg; msg = await channel.get(probe, { noAck: true })) {
        bodies.push(JSON.parse(msg.content.toString()));
      }
      await channel.deleteQueue(probe);
      return bodies;
    });
    // Every committed event once, with the ids the caller got back; none of the rolled-back batch.
    expect(received.map((b) => b.data.itemId).sort((a, b) => a - b)).toEqual(batch(2000).map((b) => b.data.itemId));
    expect(new Set(received.map((b) => b.id))).toEqual(new Set(envelopes.map((e) => e.id)));
  });

  it('on pg transactions, rows wait for the COMMIT yet keep the order published in, across publish, publishAlong, publishWithCommit and publishMany; nothing on rollback', async () => {
    world = await newLabWorld();
    const app = await world.publisher({ transactions: 'pg' });
    const events = app.get(EventPublisher);
    const txHost = app.get(TransactionHost);
    const tx = () => txHost.tx as PgSqlClient;
    const meta = (itemId: number) => ({ tenantId: 'lab', subject: `item-${itemId}`, entityVersion: 1 });
    const rows = () => query<{ subject: string }>(world.publisherDb, 'SELECT subject FROM outbox_message ORDER BY seq');

    await txHost
      .withTransaction(async () => {
        await events.publish(itemCreated, { itemId: 1 }, meta(1));
        throw new Error('business rule failed after publishing');
      })
      .catch(() => undefined);
    expect(await rows()).toEqual([]);

    await txHost.withTransaction(async () => {
      await events.publish(itemCreated, { itemId: 1 }, meta(1));
      await events.publish(itemCreated, { itemId: 2 }, meta(2));
      // Held for the COMMIT: not in the table yet.
      expect(await rows()).toEqual([]);
      // A statement of the caller's own that inserts an outbox row comes after them.
      await events.publishAlong(itemCreated, { itemId: 3 }, meta(3), (outbox) =>
        tx().$executeRawUnsafe(INSERT_OUTBOX_ROW, ...Object.values(outbox)),
      );
      await events.publish(itemCreated, { itemId: 4 }, meta(4));
      // The caller's statement sent with the COMMIT, in its place among the others.
      await events.publishWithCommit(itemCreated, { itemId: 5 }, meta(5), (outbox) => ({ sql: INSERT_OUTBOX_ROW, parameters: Object.values(outbox) }));
      await events.publishMany(itemCreated, [6, 7].map((itemId) => ({ data: { itemId }, meta: meta(itemId) })));
      await events.publish(itemCreated, { itemId: 8 }, { tenantId: 'lab' });
      await events.publishWithCommit(itemCreated, { itemId: 9 }, meta(9), (outbox) => ({ sql: INSERT_OUTBOX_ROW, parameters: Object.values(outbox) }));
    });
    expect((await rows()).map((r) => r.subject)).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5', 'item-6', 'item-7', null, 'item-9']);

    // A statement sent with the COMMIT that fails fails the transaction, with its own error: nothing of it is kept.
    const failed = txHost
      .withTransaction(async () => {
        await events.publish(itemCreated, { itemId: 10 }, meta(10));
        await events.publishWithCommit(itemCreated, { itemId: 11 }, meta(11), (outbox) => ({
          sql: INSERT_OUTBOX_ROW,
          parameters: Object.values({ ...outbox, id: 'not-a-uuid' }),
        }));
      })
      .catch((error: unknown) => error);
    expect(await failed).toMatchObject({ code: '22P02' });
    expect((await rows()).map((r) => r.subject)).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5', 'item-6', 'item-7', null, 'item-9']);
  });

  it("publishAlong: the caller's write and the event in one statement, both or neither, outside any transaction", async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    const names = app.get(TopologyNames);
    const probe = `${world.prefix}probe-along`;
    await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      await channel.assertQueue(probe, { durable: false, autoDelete: false });
      await channel.bindQueue(probe, names.exchange, itemCreated.name);
    });
    const events = app.get(EventPublisher);
    const db = new Kysely<LabTables>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: world.publisherDb, max: 1 }) }) });
    // The caller's insert and the outbox row composed into one statement by the typed builder.
    const effect = (eventId: string, itemId: number) => (outbox: LabTables['outbox_message']) =>
      db
        .with('effect', (q) => q.insertInto('lab_effect').values({ event_id: eventId, item_id: itemId }))
        .insertInto('outbox_message')
        .values(outbox)
        .execute();
    const id = '00000000-0000-4000-8000-000000000001';
    let envelope;
    try {
      envelope = await events.publishAlong(itemCreated, { itemId: 7 }, { tenantId: 'lab', subject: 'item-7', entityVersion: 1 }, effect(id, 7));
      // The write fails (not a uuid): no outbox row either.
      await expect(events.publishAlong(itemCreated, { itemId: 8 }, { tenantId: 'lab', subject: 'item-8' }, effect('not-a-uuid', 8))).rejects.toThrow();
    } finally {
      await db.destroy();
    }
    await app.get(OutboxRelay).flush();

    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM lab_effect')).toBe(1);
    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message')).toBe(1);
    const received = await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      const bodies: { id: string; subject: string }[] = [];
      for (let msg = await channel.get(probe, { noAck: true }); msg; msg = await channel.get(probe, { noAck: true })) {
        bodies.push(JSON.parse(msg.content.toString()));
      }
      await channel.deleteQueue(probe);
      return bodies;
    });
    expect(received).toEqual([expect.objectContaining({ id: envelope.id, subject: 'item-7' })]);
  });

  it('refuses to publish data that breaks the event contract', async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    const events = app.get(EventPublisher);
    await expect(events.publish(itemCreated, { itemId: 'x' } as never, { tenantId: 'lab' })).rejects.toThrow(/itemId/);
    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message')).toBe(0);
  });

  it('deletes sent outbox rows, inbox rows and stored command replies once past their retention, and nothing newer', async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    const db = world.publisherDb;
    await app.get(LabPublisher).publishItems(1, 1, 1);
    await app.get(OutboxRelay).flush();
    const day = 24 * 3600;
    await query(
      db,
      `INSERT INTO outbox_message (id, type, routing_key, tenant_id, envelope, headers, created_at, sent_at)
                     SELECT gen_random_uuid(), 't', 'k', 'lab', '{}', '{}', now() - make_interval(secs => $1), now() - make_interval(secs => $1)`,
      [8 * day],
    );
    await query(
      db,
      `INSERT INTO inbox_message (consumer, event_id, type, received_at) VALUES
                     ('lab', gen_random_uuid(), 'old', now() - make_interval(secs => $1)), ('lab', gen_random_uuid(), 'new', now() - make_interval(secs => $2))`,
      [8 * day, 6 * day],
    );
    await query(
      db,
      `INSERT INTO command_inbox (consumer, request_id, type, reply, received_at) VALUES
                     ('lab', 'old', 'c', '{}', now() - make_interval(secs => $1)), ('lab', 'new', 'c', '{}', now() - make_interval(secs => $2))`,
      [2 * day, 3600],
    );

    await app.get(OutboxRelay).deleteExpired();

    expect(await countRows(db, 'SELECT count(*)::int AS n FROM outbox_message')).toBe(1); // the one just sent stays
    expect(await query(db, 'SELECT type FROM inbox_message ORDER BY type')).toEqual([{ type: 'new' }]);
    expect(await query(db, 'SELECT request_id FROM command_inbox')).toEqual([{ request_id: 'new' }]);
  });

  it('gives pending rows to one relay batch at a time: a second batch (another replica) finds none until the first ends', async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    await app.get(OutboxRelay).stop();
    await app.get(LabPublisher).publishItems(1, 3, 1);
    const relay = app.get(RelayRepository);
    const key = relayLockKey('lab');
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstRows: PendingOutboxRow[] | undefined;
    const first = relay.batch(async (batch) => {
      firstRows = await batch.lockedPending(key, 10);
      await held;
    });
    await waitFor('the first batch holds the lock', async () => firstRows !== undefined, 10_000, 20);
    const during = await relay.batch((batch) => batch.lockedPending(key, 10));
    release();
    await first;
    const after = await relay.batch((batch) => batch.lockedPending(key, 10));

    expect({ first: firstRows?.length, during: during.length, after: after.map((row) => row.id) }).toEqual({
      first: 3,
      during: 0,
      after: firstRows?.map((row) => row.id),
    });
  });

  it('runs a relay batch in two round trips to Postgres (lock and read with the BEGIN, mark sent with the COMMIT); a failed mark-sent leaves the rows pending', async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    await app.get(OutboxRelay).stop();
    const relay = app.get(RelayRepository);
    const key = relayLockKey('lab');
    await relay.batch((batch) => batch.lockedPending(key, 1)); // the relay's connection is open
    await app.get(LabPublisher).publishItems(1, 3, 1);
    // Each write to Postgres is a syscall and a wake-up of its backend: four per batch cost more than the statements.
    const writes = [jest.spyOn(Socket.prototype, '_write'), jest.spyOn(Socket.prototype, '_writev')];
    const postgresPort = Number(new URL(world.publisherDb).port || 5432);
    let writesToPostgres = 0;
    let rows: PendingOutboxRow[] = [];
    try {
      await relay.batch(async (batch) => {
        rows = await batch.lockedPending(key, 10);
        batch.markSentAtCommit(rows.map((row) => row.seq));
      });
    } finally {
      writesToPostgres = writes.flatMap((spy) => spy.mock.contexts).filter((socket) => (socket as Socket).remotePort === postgresPort).length;
      writes.forEach((spy) => spy.mockRestore());
    }
    const failed = await relay
      .batch(async (batch) => {
        const again = await batch.lockedPending(key, 10);
        batch.markSentAtCommit(['not a number']);
        return again.length;
      })
      .catch((error: Error) => error.message);

    expect({ rows: rows.length, writesToPostgres, failed }).toEqual({ rows: 3, writesToPostgres: 2, failed: expect.stringContaining('bigint') });
    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NOT NULL AND attempts = 1')).toBe(3);
  });

  it("stores a command's reply once under its request id: a second copy's reply and a later claim find it taken", async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    const inbox = app.get(CommandInboxRepository);
    const tx = app.get(TransactionHost);
    // Enough rows that a sequential scan would show, stored before the request under test.
    for (let i = 0; i < 50; i++) await tx.withTransaction(() => inbox.saveReply('lab', `earlier-${i}`, 'lab.command.v1', { i }));

    const first = await tx.withTransaction(() => inbox.saveReply('lab', 'request-1', 'lab.command.v1', { id: 7, name: 'saved' }));
    const second = await tx.withTransaction(() => inbox.saveReply('lab', 'request-1', 'lab.command.v1', { id: 8, name: 'a second copy' }));
    const later = await tx.withTransaction(async () => ({
      claimed: await inbox.claim('lab', 'request-1', 'lab.command.v1'),
      reply: await inbox.storedReply('lab', 'request-1'),
    }));
    const fresh = await tx.withTransaction(() => inbox.claim('lab', 'request-2', 'lab.command.v1'));

    expect({ first, second, fresh }).toEqual({ first: true, second: false, fresh: true });
    expect(later).toEqual({ claimed: false, reply: { id: 7, name: 'saved' } });
    expect(await query(world.publisherDb, "SELECT type, reply FROM command_inbox WHERE request_id = 'request-1'")).toEqual([
      { type: 'lab.command.v1', reply: { id: 7, name: 'saved' } },
    ]);
    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM command_inbox')).toBe(52);
  });
});
