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

/**
 * Possible duplicates of a new or changed contact. Live contacts sharing an email address, a
 * phone number or the company with a probe, in one statement. Each arm is an index lookup
 * ((tenant_id, address_key), (tenant_id, digits), (tenant_id, company_id)); name similarity
 * (pg_trgm, which ignores case, punctuation and spacing) is then computed on those few rows only,
 * so no trigram index is needed and a big tenant costs no more than a small one. Built once
 * (PreparedQuery): it runs before every create.
 */
const duplicateCandidates = prepare<
  [tenantId: string, emailKeys: string[], phoneDigits: string[], companyId: string | null, fullName: string, minNameSimilarity: number, limit: number]
>()((db: Kysely<DB>) =>
  db
    .with('by_email', (q) =>
      q
        .selectFrom('contact_email')
        .select('contact_id')
        .where('tenant_id', '=', slot<string>(0))
        .where(sql<SqlBool>`address_key = ANY(${slot<string[]>(1)}::text[])`),
    )
    .with('by_phone', (q) =>
      q
        .selectFrom('contact_phone')
        .select('contact_id')
        .where('tenant_id', '=', slot<string>(0))
        .where(sql<SqlBool>`digits = ANY(${slot<string[]>(2)}::text[])`),
    )
    .with('by_company', (q) =>
      q
        .selectFrom('contact')
        .select('id as contact_id')
        .where('tenant_id', '=', slot<string>(0))
        .where('company_id', '=', sql<string>`${slot<string | null>(3)}::uuid`),
    )
    .with('matched', (q) =>
      q
        .selectFrom('contact as c')
        .select((eb) => [
          'c.id',
          'c.first_name',
          'c.last_name',
          'c.company_id',
          eb('c.id', 'in', eb.selectFrom('by_email').select('contact_id')).$castTo<boolean>().as('same_email'),
          eb('c.id', 'in', eb.selectFrom('by_phone').select('contact_id')).$castTo<boolean>().as('same_phone'),
          sql<boolean>`c.company_id IS NOT NULL AND c.company_id = ${slot<string | null>(3)}::uuid`.as('same_company'),
          sql<number>`similarity(c.first_name || ' ' || coalesce(c.last_name, ''), ${slot<string>(4)}::text)::float8`.as('name_similarity'),
        ])
        .where('c.tenant_id', '=', slot<string>(0))
        .where('c.deleted_at', 'is', null)
        .where('c.erased_at', 'is', null)
        .where((eb) =>
          eb(
            'c.id',
            'in',
            eb
              .selectFrom('by_email')
              .select('contact_id')
              .union(eb.selectFrom('by_phone').select('contact_id'))
              .union(eb.selectFrom('by_company').select('contact_id')),
          ),
        ),
    )
    .selectFrom('matched as m')
    .select((eb) => [
      sql<string>`m.id::text`.as('id'),
      'm.first_name as firstName',
      'm.last_name as lastName',
      sql<string | null>`m.company_id::text`.as('companyId'),
      eb
        .selectFrom('contact_email as e')
        .select('e.address')
        .whereRef('e.contact_id', '=', 'm.id')
        .orderBy('e.primary', 'desc')
        .orderBy('e.position')
        .limit(sql.lit(1))
        .as('primaryEmail'),
      'm.same_email as sameEmail',
      'm.same_phone as samePhone',
      sql<boolean>`coalesce(m.same_company, false)`.as('sameCompany'),
      'm.name_similarity as nameSimilarity',
    ])
    .where((eb) =>
      eb.or([
        eb('m.same_email', '=', true),
        eb.and([sql<SqlBool>`m.name_similarity >= ${slot<number>(5)}::float8`, eb.or([eb('m.same_company', '=', true), eb('m.same_phone', '=', true)])]),
      ]),
    )
    .orderBy('m.same_email', 'desc')
    .orderBy('m.name_similarity', 'desc')
    .orderBy('m.id')
    .limit(sql<number>`${slot<number>(6)}::int`),
);

@Injectable()
export class DuplicateRepository {
  constructor(private readonly db: Database) {}

  candidates(tenantId: string, probe: DuplicateProbe, minNameSimilarity: number, limit: number): Promise<DuplicateMatch[]> {
    const { emailKeys, phoneDigits, fullName, companyId } = probe;
    return duplicateCandidates.execute(this.db, [tenantId, emailKeys, phoneDigits, companyId, fullName, minNameSimilarity, limit]);
  }

  /** Holds one address of a tenant until the transaction ends: its identification waits for another's to commit (IdentifySenderService). */
  async lockEmail(tenantId: string, emailKey: string): Promise<void> {
    // A column Prisma can read: the function returns void.
    await sql`SELECT true AS locked FROM pg_advisory_xact_lock(hashtextextended(${`${tenantId}\n${emailKey}`}, 0))`.execute(this.db);
  }
}
