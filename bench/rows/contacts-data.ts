import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { seed, SEED_DEFAULTS, SeedResult } from '../../tools/seed/seed';
import { DemoData } from '../../tools/seed/demo-data';
import { GatewayClient } from '../../tools/seed/gateway-client';
import { fmt, log, sleep } from '../support/processes';

/**
 * The data the contacts rows read: `npm run seed`'s tenant (1,000 companies, 10,000 contacts,
 * 50,000 interactions: the analytics backlog of the intake row), grown to BENCH_CONTACTS
 * (default 100,000) contacts, with one surname held by at least 1% of them (the demo data's
 * 3,000 surnames give each ~0.03%) for the search row.
 */
export interface ContactsData {
  token: string;
  tenantId: string;
  /** Contact ids to rotate GET /contacts/:id over. */
  ids: string[];
  contacts: number;
  surname: string;
  surnameHolders: number;
  seedSeconds: number;
  growSeconds: number;
}

export const CONTACTS = Number(process.env['BENCH_CONTACTS'] ?? 100_000);
/** A smaller seed for trying the harness out (e.g. 0.1); the issue's figures are taken at 1. */
const SEED_SCALE = Number(process.env['BENCH_SEED_SCALE'] ?? 1);
const SEED = {
  ...SEED_DEFAULTS,
  companies: Math.round(SEED_DEFAULTS.companies * SEED_SCALE),
  contacts: Math.round(SEED_DEFAULTS.contacts * SEED_SCALE),
  interactions: Math.round(SEED_DEFAULTS.interactions * SEED_SCALE),
};
const COMMON_SURNAME = 'Hernandez';
const COMMON_SHARE = 0.012;

export async function seedContacts(gatewayUrl: string, contactsDatabaseUrl: string): Promise<ContactsData> {
  log(`seeding (npm run seed defaults${SEED_SCALE === 1 ? '' : ` x ${SEED_SCALE}`})`);
  const seeded: SeedResult = await seed({ ...SEED, baseUrl: gatewayUrl, log: (line) => log(`  seed: ${line}`) });
  const grow = Math.max(0, CONTACTS - seeded.counts.contacts);
  log(`seeded in ${seeded.seconds.toFixed(1)} s; growing by ${fmt(grow)} contacts`);
  const t = performance.now();
  const grown = grow
    ? await seed({
        ...SEED_DEFAULTS,
        baseUrl: gatewayUrl,
        existing: { email: seeded.email, password: seeded.password },
        companies: 0,
        contacts: grow,
        interactions: 0,
        seed: 7,
      })
    : undefined;
  const surnameHolders = await addSurnameHolders(gatewayUrl, seeded.accessToken, seeded.ownerIds, Math.ceil(CONTACTS * COMMON_SHARE));
  const growSeconds = (performance.now() - t) / 1000;
  log(`grown in ${growSeconds.toFixed(1)} s; waiting for the outbox, then VACUUM ANALYZE`);
  log(`the outbox was empty ${(await settle(contactsDatabaseUrl)).toFixed(1)} s later`);
  const all = [...seeded.contacts, ...(grown?.contacts ?? [])];
  const holders = await countSurname(contactsDatabaseUrl, seeded.tenantId);
  return {
    token: seeded.accessToken,
    tenantId: seeded.tenantId,
    ids: all.filter((_, i) => i % 25 === 0).map((c) => c.id),
    contacts: all.length + surnameHolders,
    surname: COMMON_SURNAME,
    surnameHolders: holders,
    seedSeconds: seeded.seconds,
    growSeconds,
  };
}

/** Demo contacts with the common surname, through the import route as the seed makes the others. */
async function addSurnameHolders(gatewayUrl: string, token: string, ownerIds: string[], count: number): Promise<number> {
  const client = new GatewayClient(gatewayUrl);
  client.authenticate(token);
  const data = new DemoData(11);
  for (let done = 0; done < count; ) {
    const batch = Array.from({ length: Math.min(1_000, count - done) }, (_, i) => {
      const contact = data.contact([], ownerIds);
      const n = done + i;
      return {
        ...contact,
        externalId: `surname-${n}`,
        lastName: COMMON_SURNAME,
        emails: [{ address: `${contact.firstName.toLowerCase()}.${COMMON_SURNAME.toLowerCase()}${n}@example.com`, label: 'work' }],
      };
    });
    await client.post('/api/v1/imports/contacts', { contacts: batch });
    done += batch.length;
  }
  return count;
}

async function countSurname(databaseUrl: string, tenantId: string): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  try {
    await db.connect();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact WHERE tenant_id = $1 AND last_name = $2', [
      tenantId,
      COMMON_SURNAME,
    ]);
    return rows[0].n;
  } catch (error) {
    log(`counting the surname's holders failed: ${(error as Error).message}`);
    return NaN;
  } finally {
    await db.end();
  }
}

/**
 * Until the contacts outbox has sent everything (a seed leaves tens of thousands of events that
 * would take the machine away from the path measured), then VACUUM ANALYZE, as autovacuum would
 * within a minute of a bulk load. As bench/contacts.bench.ts does.
 */
export async function settle(contactsDatabaseUrl: string): Promise<number> {
  const db = new Client({ connectionString: contactsDatabaseUrl });
  const t0 = performance.now();
  try {
    await db.connect();
    for (;;) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL');
      if (rows[0].n === 0) break;
      if (performance.now() - t0 > 10 * 60_000) throw new Error(`outbox still has ${rows[0].n} unsent events after 10 minutes`);
      await sleep(1_000);
    }
    await db.query('VACUUM ANALYZE');
    return (performance.now() - t0) / 1000;
  } finally {
    await db.end();
  }
}
