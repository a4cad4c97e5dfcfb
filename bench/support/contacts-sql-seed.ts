import { randomUUID } from 'node:crypto';
import { base, en, Faker } from '@faker-js/faker';
import type { Client } from 'pg';

export interface SqlSeedOptions {
  tenantId: string;
  companies: number;
  contacts: number;
  seed?: number;
}

export interface SqlSeedResult {
  tenantId: string;
  seconds: number;
  /** Surnames by how many contacts hold them, most common first (the top ones hold >= 1%). */
  commonSurnames: { word: string; contacts: number }[];
  /** Some contact ids, for loads that rotate through them. */
  contactIds: string[];
}

/** Plain ASCII letters only: then lower() in SQL is textKey() in the service. */
const plain = (names: string[]) => [...new Set(names.filter((n) => /^[A-Za-z]{2,}$/.test(n)))];

/**
 * `contacts` contacts (and `companies` companies) added to a tenant, written straight into a contacts
 * database with set-based SQL, in seconds: the same columns, child rows and search words the
 * service writes (sort keys, emails and phones with their lists on the contact, words and vocabulary with typo keys,
 * as the search_words migration backfills them). Surnames are skewed as real ones are (a
 * quadratic pick from 3,000): the most common is held by ~2% of the contacts, a handful by >= 1%.
 * Lifecycle stages and tags follow tools/seed's proportions, so the list filters select alike.
 */
export async function seedContactsSql(db: Client, options: SqlSeedOptions): Promise<SqlSeedResult> {
  const t0 = performance.now();
  const f = new Faker({ locale: [en, base], seed: options.seed ?? 42 });
  const firstNames = plain(Array.from({ length: 1_500 }, () => f.person.firstName()));
  const lastNames = plain(Array.from({ length: 3_000 }, () => f.person.lastName()));
  const { tenantId } = options;
  await db.query('BEGIN');
  await db.query('SELECT setseed(0.42)');
  await db.query(
    `CREATE TEMP TABLE seed_company ON COMMIT DROP AS
     SELECT gen_random_uuid() AS id, n, (row_number() OVER ())::int - 1 AS i
       FROM generate_series(1, $1::int) AS g, LATERAL (SELECT ($2::text[])[1 + (g * 7919) % cardinality($2::text[])] || ' ' || g AS n) AS x`,
    [options.companies, lastNames],
  );
  await db.query(
    `INSERT INTO company (id, tenant_id, name, sort_name, domain, updated_at)
     SELECT id, $1, n, lower(n), replace(lower(n), ' ', '') || '.example.com', now() - (i || ' minutes')::interval FROM seed_company`,
    [tenantId],
  );
  await db.query(
    `CREATE TEMP TABLE seed_contact ON COMMIT DROP AS
     SELECT gen_random_uuid() AS id, gen_random_uuid() AS email_id, gen_random_uuid() AS phone_id, g, fn, ln, company_id, company_name, company_domain, stage, tags,
            lower(fn) || '.' || lower(ln) || g || '@' || coalesce(company_domain, 'gmail.com') AS email,
            '1555' || lpad((g % 10000000)::text, 7, '0') AS phone,
            now() - ((g % 100000) || ' minutes')::interval AS created_at
       FROM (
         SELECT g,
                ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int] AS fn,
                ($3::text[])[1 + floor(power(random(), 2) * cardinality($3::text[]))::int] AS ln,
                CASE WHEN random() < 0.4 THEN 'lead' WHEN random() < 0.45 THEN 'prospect' WHEN random() < 0.85 THEN 'customer' ELSE 'churned' END AS stage,
                array_remove(ARRAY[CASE WHEN random() < 0.12 THEN 'vip' END,
                                   (ARRAY['newsletter','webinar','trial','referral','event-2026','churn-risk','decision-maker'])[1 + floor(random() * 7)::int],
                                   CASE WHEN random() < 0.4 THEN 'newsletter' END], NULL) AS tags,
                floor(random() * $4)::int AS company_n
           FROM generate_series(1, $1::int) AS g
       ) AS picks
       LEFT JOIN (SELECT id AS company_id, lower(n) AS company_name, replace(lower(n), ' ', '') || '.example.com' AS company_domain, i
                    FROM seed_company) AS co ON co.i = picks.company_n AND picks.company_n < $4 * 0.85`,
    [options.contacts, firstNames, lastNames, options.companies],
  );
  await db.query(
    `INSERT INTO contact (id, tenant_id, first_name, last_name, sort_last_name, company_id, tags, lifecycle_stage,
                          created_at, updated_at, email_list, phone_list)
     SELECT id, $1, fn, ln, lower(ln), company_id, tags, stage, created_at,
            created_at + ((g % 997) || ' seconds')::interval,
            jsonb_build_array(jsonb_build_object('id', email_id, 'tenantId', $1::text, 'contactId', id, 'position', 0, 'address', email,
                                                 'addressKey', email, 'label', 'work', 'primary', true)),
            jsonb_build_array(jsonb_build_object('id', phone_id, 'tenantId', $1::text, 'contactId', id, 'position', 0, 'number', '+' || phone,
                                                 'digits', phone, 'label', 'mobile', 'primary', true))
       FROM seed_contact`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO contact_email (id, tenant_id, contact_id, position, address, address_key, label, "primary")
     SELECT email_id, $1, id, 0, email, email, 'work', true FROM seed_contact`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO contact_phone (id, tenant_id, contact_id, position, number, digits, label, "primary")
     SELECT phone_id, $1, id, 0, '+' || phone, phone, 'mobile', true FROM seed_contact`,
    [tenantId],
  );
  // As the search_words migration backfills them (shared/search-words.ts in SQL).
  await db.query(
    `INSERT INTO contact_search_word (tenant_id, word, contact_id)
     SELECT DISTINCT $1::text, w.run[1], c.id
       FROM seed_contact c CROSS JOIN LATERAL regexp_matches(lower(c.fn) || ' ' || lower(c.ln) || ' ' || c.email || ' ' || c.phone,
                                                            '[[:alpha:]]+|[[:digit:]]+', 'g') AS w(run)`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO company_search_word (tenant_id, word, company_id)
     SELECT DISTINCT c.tenant_id, w.run[1], c.id
       FROM company c CROSS JOIN LATERAL regexp_matches(c.sort_name, '[[:alpha:]]+|[[:digit:]]+', 'g') AS w(run)
      WHERE c.tenant_id = $1 AND c.id IN (SELECT id FROM seed_company)`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO search_word (tenant_id, word, typo_keys)
     SELECT t, w,
       CASE WHEN w ~ '^[[:alpha:]]{3,8}$'
         THEN array_prepend(w, ARRAY(SELECT overlay(w placing '' from i for 1) FROM generate_series(1, length(w)) AS i))
         ELSE '{}' END
     FROM (SELECT tenant_id, word FROM contact_search_word WHERE tenant_id = $1 AND contact_id IN (SELECT id FROM seed_contact)
           UNION SELECT tenant_id, word FROM company_search_word WHERE tenant_id = $1 AND company_id IN (SELECT id FROM seed_company)) AS words(t, w)
     ON CONFLICT DO NOTHING`,
    [tenantId],
  );
  const ids = await db.query<{ id: string }>(`SELECT id FROM seed_contact ORDER BY id LIMIT 2000`);
  await db.query('COMMIT');
  const common = await db.query<{ word: string; contacts: number }>(
    `SELECT sort_last_name AS word, count(*)::int AS contacts FROM contact WHERE tenant_id = $1
      GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
    [tenantId],
  );
  return { tenantId, seconds: (performance.now() - t0) / 1000, commonSurnames: common.rows, contactIds: ids.rows.map((r) => r.id) };
}

/** A new tenant id as the gateway makes them. */
export const newTenantId = () => randomUUID();
