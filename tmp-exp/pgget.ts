import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { contactDetailJson, selectContacts } from '../apps/contacts/src/contacts/contact.table';

const oldPurchases = sql`(select coalesce(json_agg(p order by p.currency), '[]'::json) from (
  select a.currency, sum(a.amount_minor)::text as "amountMinor", max(a.occurred_at) as "lastAt" from contact_activity a
  where a.tenant_id = c.tenant_id and a.contact_id = c.id and a.kind = 'order' and a.counts
  group by a.currency) p)`;
async function main() {
  const pool = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/exp_get', max: 1 });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const tenant = randomUUID();
  const ids: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const id = randomUUID(); ids.push(id);
    await pool.query(`insert into contact (id, tenant_id, first_name, last_name, sort_last_name, tags, lifecycle_stage, custom_fields, addresses, email_list, phone_list, version, created_at, updated_at)
      values ($1,$2,'Ada','Lovelace','lovelace',$3,'lead','{"a":1}','[{"city":"London"}]',$4,$5,1,now(),now())`,
      [id, tenant, ['vip','x'], JSON.stringify([{ id: randomUUID(), address: `a${i}@x.example`, label: 'work', primary: true, position: 0 }]), JSON.stringify(i % 3 ? [] : [{ id: randomUUID(), number: '+1 202 555 0100', label: null, primary: true, position: 0 }])]);
  }
  await pool.query('vacuum analyze contact');
  const oldQ = (db as any).selectFrom('contact as c').select((selectContacts(db as any) as any).toOperationNode ? [] : []);
  const oldSql = selectContacts(db as any).select(oldPurchases.as('purchases')).where('c.tenant_id', '=', sql.lit('T') as any).compile().sql;
  const oldText = selectContacts(db as any).select(oldPurchases.as('purchases')).where('c.tenant_id', '=', '$T' as any).compile().sql;
  const o = selectContacts(db as any).select(oldPurchases.as('purchases')).where('c.tenant_id', '=', tenant).where('c.id', '=', ids[0]).where('c.erased_at', 'is', null).compile();
  const n = (db as any).selectFrom('contact as c').select(['c.version', 'c.deleted_at as deletedAt', contactDetailJson]).where('c.tenant_id', '=', tenant).where('c.id', '=', ids[0]).where('c.erased_at', 'is', null).compile();
  void oldQ; void oldSql; void oldText;
  const client = await pool.connect();
  const { rows: [{ pid }] } = await client.query('select pg_backend_pid() as pid');
  const { readFileSync } = await import('node:fs');
  const ticks = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
  const run = async (name: string, text: string, reps: number) => {
    const k0 = ticks();
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) await client.query({ name, text, values: [tenant, ids[i % ids.length]] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(c0);
    const pgUs = ((ticks() - k0) * 10_000) / reps;
    return { name, pgUs, usPerQuery: (ms * 1000) / reps, clientCpuUs: (cpu.user + cpu.system) / reps };
  };
  for (let round = 0; round < 3; round++) {
    console.log(await run('old', o.sql, 10000));
    console.log(await run('new', n.sql, 10000));
  }
  client.release();
  await pool.end();
}
void main();
