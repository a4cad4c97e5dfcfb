import { randomUUID } from 'node:crypto';
import { Actor, createContact, updateContact } from '@crm/contracts';
import { createTestDatabase, deleteTestBus, TestDatabase, testBusPrefix, testKysely, testTokenFor } from '@crm/testing';
import type { Kysely } from 'kysely';
import type { DB } from '../generated/kysely/database';
import { BusCaller, CallOutcome } from './bus-caller';
import { replicaEnv, ReplicaProcess, spawnReplica } from './spawn-replica';

const COPIES = 8;

/**
 * Copies of one request (one request id: a redelivery, or a caller's retry) delivered together to
 * a replica that handles them at once: each answers what the one applied copy did. The copies
 * race to store their reply; the losers roll their writes back, or fail on the winner's write
 * (412 after its update) and answer its stored reply instead of the error.
 */
describe('copies of one command handled at once (command inbox)', () => {
  let db: TestDatabase;
  let prefix: string;
  let caller: BusCaller;
  let replica: ReplicaProcess;
  let pg: Kysely<DB>;
  const actor: Actor = { tenantId: randomUUID(), userId: randomUUID(), roles: ['admin'] };
  const token = testTokenFor(actor);

  beforeAll(async () => {
    db = await createTestDatabase('contacts');
    prefix = testBusPrefix();
    const env = await replicaEnv(db.url, prefix);
    replica = spawnReplica(env);
    await replica.ready;
    caller = await BusCaller.connect(env['RABBITMQ_URL'], prefix);
    pg = testKysely<DB>(db.url);
  }, 60_000);

  afterAll(async () => {
    await pg?.destroy();
    await caller?.close();
    await replica?.stop();
    await db?.drop();
    if (prefix) await deleteTestBus(prefix);
  }, 60_000);

  const copiesOf = (send: () => Promise<CallOutcome>) => Promise.all(Array.from({ length: COPIES }, send));
  const dataOf = (outcome: CallOutcome) => {
    if (!outcome.ok) throw new Error(`a copy failed: ${JSON.stringify(outcome)}`);
    return outcome.data as { id: string; version: number; lastName: string };
  };
  const inboxRows = (requestId: string) =>
    pg
      .selectFrom('command_inbox')
      .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
      .where('request_id', '=', `${actor.tenantId}/${actor.userId}/${requestId}`)
      .executeTakeFirstOrThrow();

  it('a create: one contact, every copy answered with it', async () => {
    const requestId = randomUUID();
    const outcomes = await copiesOf(() => caller.call(createContact, { contact: { firstName: 'Copy', lastName: 'Create' } }, token, 15_000, requestId));
    const ids = new Set(outcomes.map((outcome) => dataOf(outcome).id));
    expect(ids.size).toBe(1);
    const written = await pg
      .selectFrom('contact')
      .select((eb) => eb.cast<string>('id', 'text').as('id'))
      .where('tenant_id', '=', actor.tenantId)
      .where('last_name', '=', 'Create')
      .execute();
    expect(written.map((row) => row.id)).toEqual([...ids]);
    expect(await inboxRows(requestId)).toEqual({ n: 1 });
  }, 30_000);

  it('an update with If-Match: applied once, no copy answers 412 for its own write', async () => {
    const created = dataOf(await caller.call(createContact, { contact: { firstName: 'Copy', lastName: 'Before' } }, token, 15_000));
    const requestId = randomUUID();
    const outcomes = await copiesOf(() =>
      caller.call(updateContact, { id: created.id, expectedVersion: created.version, patch: { lastName: 'After' } }, token, 15_000, requestId),
    );
    expect(outcomes.map((outcome) => dataOf(outcome)).map(({ id, version, lastName }) => ({ id, version, lastName }))).toEqual(
      Array.from({ length: COPIES }, () => ({ id: created.id, version: created.version + 1, lastName: 'After' })),
    );
    const row = await pg.selectFrom('contact').select(['version', 'last_name']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ version: created.version + 1, last_name: 'After' });
  }, 30_000);

  it('a copy of an applied request sent later gets the stored reply; a failed request leaves no row and runs again', async () => {
    const created = dataOf(await caller.call(createContact, { contact: { firstName: 'Copy', lastName: 'Later' } }, token, 15_000));
    const requestId = randomUUID();
    const update = () => caller.call(updateContact, { id: created.id, expectedVersion: created.version, patch: { firstName: 'Once' } }, token, 15_000, requestId);
    const first = dataOf(await update());
    expect(dataOf(await update())).toEqual(first);
    expect(await inboxRows(requestId)).toEqual({ n: 1 });

    const staleId = randomUUID();
    const stale = () => caller.call(updateContact, { id: created.id, expectedVersion: created.version, patch: { firstName: 'Stale' } }, token, 15_000, staleId);
    for (const outcome of [await stale(), await stale()]) expect(outcome).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED' } });
    expect(await inboxRows(staleId)).toEqual({ n: 0 });
  }, 30_000);
});
