import { Injectable } from '@nestjs/common';
import { Kysely, sql, SqlBool } from 'kysely';
import { prepare, slot } from '@crm/service-kit';
import type { DB } from '../../generated/kysely/database';
import { Database } from '../../infrastructure/database/database';
/** What a new contact is compared on: normalised keys, computed by the finder. */
export interface DuplicateProbe {
  emailKeys: string[];
  phoneDigits: string[];
  /** First and last name: compared with each candidate's by trigram similarity. */
  fullName: string;
  companyId: string | null;
}

export interface DuplicateMatch {
  id: string;
  firstName: string;
  lastName: string | null;
  primaryEmail: string | null;
  companyId: string | null;
  sameEmail: boolean;
  sameCompany: boolean;
  samePhone: boolean;
  nameSimilarity: number;
}

type Args = [tenantId: string, emailKeys: string[], phoneDigits: string[], companyId: string | null, fullName: string, minNameSimilarity: number, limit: number];

/** Which of its keys a probe has: each is an arm of the statement. */
interface Arms {
  email: boolean;
  phone: boolean;
  company: boolean;
}

const tenant = slot<string>(0);

/** The live contacts a probe's key finds, by the arm's index ((tenant_id, address_key), (tenant_id, digits), (tenant_id, company_id)). */
const armQueries = {
  email: (db: Kysely<DB>) =>
    db
      .selectFrom('contact_email')
      .select('contact_id')
      .where('tenant_id', '=', tenant)
      .where(sql<SqlBool>`address_key = ANY(${slot<string[]>(1)}::text[])`),
  phone: (db: Kysely<DB>) =>
    db
      .selectFrom('contact_phone')
      .select('contact_id')
      .where('tenant_id', '=', tenant)
      .where(sql<SqlBool>`digits = ANY(${slot<string[]>(2)}::text[])`),
  company: (db: Kysely<DB>) =>
    db
      .selectFrom('contact')
      .select('id as contact_id')
      .where('tenant_id', '=', tenant)
      .where('company_id', '=', sql<string>`${slot<string | null>(3)}::uuid`),
};

/**
 * Possible duplicates of a new or changed contact: live contacts sharing an email address, a
 * phone number or the company with a probe, in one statement with an arm for each key the probe
 * has (each an index lookup; no arm, no statement). Name similarity (pg_trgm, which ignores case,
 * punctuation and spacing) is then computed on those few rows only, so no trigram index is
 * needed and a big tenant costs no more than a small one. Built once per combination of arms
 * (PreparedQuery): it runs before every create, and one statement with all three arms cost
 * Postgres ~0.1 ms per create to set up its plan whichever keys were empty, four times its run.
 */
function candidatesStatement(arms: Arms) {
  const present = (Object.keys(armQueries) as (keyof Arms)[]).filter((arm) => arms[arm]);
  return prepare<Args>()((db: Kysely<DB>) => {
    /** Whether the contact `c` was found by `arm`: every candidate is when it is the only arm. */
    const foundBy = (arm: 'email' | 'phone') =>
      !arms[arm] ? sql<boolean>`false` : present.length === 1 ? sql<boolean>`true` : sql<boolean>`c.id IN (${armQueries[arm](db)})`;
    const [first, ...rest] = present.map((arm) => armQueries[arm](db));
    const found = rest.reduce((union, arm) => union.union(arm), first);
    const sameEmail = foundBy('email');
    const samePhone = foundBy('phone');
    const sameCompany = arms.company ? sql<boolean>`coalesce(c.company_id = ${slot<string | null>(3)}::uuid, false)` : sql<boolean>`false`;
    const nameSimilarity = sql<number>`similarity(c.first_name || ' ' || coalesce(c.last_name, ''), ${slot<string>(4)}::text)::float8`;
    return db
      .selectFrom('contact as c')
      .select((eb) => [
        sql<string>`c.id::text`.as('id'),
        'c.first_name as firstName',
        'c.last_name as lastName',
        sql<string | null>`c.company_id::text`.as('companyId'),
        eb
          .selectFrom('contact_email as e')
          .select('e.address')
          .whereRef('e.contact_id', '=', 'c.id')
          .orderBy('e.primary', 'desc')
          .orderBy('e.position')
          .limit(sql.lit(1))
          .as('primaryEmail'),
        sameEmail.as('sameEmail'),
        samePhone.as('samePhone'),
        sameCompany.as('sameCompany'),
        nameSimilarity.as('nameSimilarity'),
      ])
      .where('c.tenant_id', '=', tenant)
      .where('c.deleted_at', 'is', null)
      .where('c.erased_at', 'is', null)
      .where('c.id', 'in', found)
      .where(sql<SqlBool>`(${sameEmail} OR (${nameSimilarity} >= ${slot<number>(5)}::float8 AND (${sameCompany} OR ${samePhone})))`)
      .orderBy('sameEmail', 'desc')
      .orderBy('nameSimilarity', 'desc')
      .orderBy('c.id')
      .limit(sql<number>`${slot<number>(6)}::int`);
  });
}

/** The statement of each combination of arms, made when first needed (at most seven). */
const statements = new Map<string, ReturnType<typeof candidatesStatement>>();

@Injectable()
export class DuplicateRepository {
  constructor(private readonly db: Database) {}

  async candidates(tenantId: string, probe: DuplicateProbe, minNameSimilarity: number, limit: number): Promise<DuplicateMatch[]> {
    const { emailKeys, phoneDigits, fullName, companyId } = probe;
    const arms: Arms = { email: emailKeys.length > 0, phone: phoneDigits.length > 0, company: companyId !== null };
    if (!arms.email && !arms.phone && !arms.company) return []; // a name alone is no reason
    const key = `${+arms.email}${+arms.phone}${+arms.company}`;
    let statement = statements.get(key);
    if (!statement) statements.set(key, (statement = candidatesStatement(arms)));
    return statement.execute(this.db, [tenantId, emailKeys, phoneDigits, companyId, fullName, minNameSimilarity, limit]);
  }

  /** Holds one address of a tenant until the transaction ends: its identification waits for another's to commit (IdentifySenderService). */
  async lockEmail(tenantId: string, emailKey: string): Promise<void> {
    // A column Prisma can read: the function returns void.
    await sql`SELECT true AS locked FROM pg_advisory_xact_lock(hashtextextended(${`${tenantId}\n${emailKey}`}, 0))`.execute(this.db);
  }
}
