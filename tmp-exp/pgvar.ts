import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';

const iso = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const entriesA = (list: string, v: string) => `(SELECT coalesce(json_agg(json_strip_nulls(json_build_object('${v}', x.e -> '${v}', 'label', x.e -> 'label', 'primary', x.e -> 'primary')) ORDER BY x.n), '[]') FROM jsonb_array_elements(${list}) WITH ORDINALITY AS x(e, n))`;
const entriesC = (list: string, v: string) => `CASE WHEN jsonb_array_length(${list}) = 0 THEN '[]'::json ELSE ${entriesA(list, v)} END`;
const one = (list: string, v: string) => `json_build_array(json_strip_nulls(json_build_object('${v}', ${list} -> 0 -> '${v}', 'label', ${list} -> 0 -> 'label', 'primary', ${list} -> 0 -> 'primary')))`;
const entriesD = (list: string, v: string) => `CASE jsonb_array_length(${list}) WHEN 0 THEN '[]'::json WHEN 1 THEN ${one(list, v)} ELSE ${entriesA(list, v)} END`;
const fields = (entries: typeof entriesA, ts: (c: string) => string) => `c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.title,
    ${entries('c.email_list', 'address')} AS emails, ${entries('c.phone_list', 'number')} AS phones,
    c.addresses, c.company_id AS "companyId", c.owner_id AS "ownerId", c.tags, c.lifecycle_stage AS "lifecycleStage",
    c.custom_fields AS "customFields", c.version, ${ts('c.created_at')} AS "createdAt", ${ts('c.updated_at')} AS "updatedAt", ${ts('c.deleted_at')} AS "deletedAt"`;
const purchases = `(SELECT ${iso('max(t.last_at)')} AS "lastPurchaseAt", coalesce(json_agg(json_build_object('currency', t.currency, 'amountMinor', t.amount_minor) ORDER BY t.currency), '[]'::json) AS "lifetimeValue"
  FROM (SELECT a.currency, sum(a.amount_minor) AS amount_minor, max(a.occurred_at) AS last_at FROM contact_activity a
    WHERE a.tenant_id = c.tenant_id AND a.contact_id = c.id AND a.kind = 'order' AND a.counts GROUP BY a.currency) t)`;
const detail = (f: string) => `select c.version, c.deleted_at, (SELECT row_to_json(j)::text FROM (SELECT ${f}, p."lastPurchaseAt", p."lifetimeValue" FROM ${purchases} p) j) as json from contact c where c.tenant_id = $1 and c.id = $2 and c.erased_at is null`;
const plain = (f: string) => `select c.version, c.deleted_at, (SELECT row_to_json(j)::text FROM (SELECT ${f}) j) as json from contact c where c.tenant_id = $1 and c.id = $2 and c.erased_at is null`;
const variants: Record<string, string> = {
  current: detail(fields(entriesA, iso)),
  noPurchases: plain(fields(entriesA, iso)),
  noEntries: detail(fields((l) => l, iso)),
  caseEmpty: detail(fields(entriesC, iso)),
  caseOne: detail(fields(entriesD, iso)),
};
async function main() {
  const pool = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/exp_get', max: 1 });
  const tenant = randomUUID();
  const ids: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const id = randomUUID(); ids.push(id);
    await pool.query(`insert into contact (id, tenant_id, first_name, last_name, sort_last_name, tags, lifecycle_stage, custom_fields, addresses, email_list, phone_list, version, created_at, updated_at)
      values ($1,$2,'Ada','Lovelace','lovelace',$3,'lead','{"a":1}','[{"city":"London"}]',$4,$5,1,now(),now())`,
      [id, tenant, ['vip','x'], JSON.stringify([{ id: randomUUID(), address: `a${i}@x.example`, label: 'work', primary: true, position: 0 }]), JSON.stringify(i % 3 ? [] : [{ id: randomUUID(), number: '+1 202 555 0100', label: null, primary: true, position: 0 }])]);
  }
  await pool.query('vacuum analyze contact');
  const client = await pool.connect();
  const { rows: [{ pid }] } = await client.query('select pg_backend_pid() as pid');
  const ticks = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
  const reps = 10000;
  const out: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) for (const [name, text] of Object.entries(variants)) {
    const k0 = ticks();
    for (let i = 0; i < reps; i++) await client.query({ name, text, values: [tenant, ids[i % ids.length]] });
    (out[name] ??= []).push(((ticks() - k0) * 10_000) / reps);
  }
  console.log(out);
  client.release(); await pool.end();
}
void main();
