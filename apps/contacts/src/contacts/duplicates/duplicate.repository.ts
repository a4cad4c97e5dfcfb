import { Injectable } from '@nestjs/common';
import { PreparedStatement, PreparedStatements } from '../../infrastructure/database/prepared-statements';

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
 * Live contacts sharing an email address, a phone number or the company with a probe, in one
 * statement. Each arm is an index lookup ((tenant_id, address_key), (tenant_id, digits),
 * (tenant_id, company_id)); name similarity (pg_trgm, which ignores case, punctuation and
 * spacing) is then computed on those few rows only, so no trigram index is needed and a big
 * tenant costs no more than a small one. $1 tenant, $2 email keys, $3 phone digits, $4 company,
 * $5 full name, $6 least name similarity, $7 limit.
 */
const DUPLICATE_CANDIDATES: PreparedStatement = {
  name: 'contacts.duplicate-candidates.v1',
  text: `
      WITH by_email AS (
        SELECT contact_id FROM contact_email WHERE tenant_id = $1 AND address_key = ANY($2::text[])
      ), by_phone AS (
        SELECT contact_id FROM contact_phone WHERE tenant_id = $1 AND digits = ANY($3::text[])
      ), by_company AS (
        SELECT id AS contact_id FROM contact WHERE tenant_id = $1 AND company_id = $4::uuid
      ), matched AS (
        SELECT c.id, c.first_name, c.last_name, c.company_id,
               c.id IN (SELECT contact_id FROM by_email) AS same_email,
               c.id IN (SELECT contact_id FROM by_phone) AS same_phone,
               c.company_id IS NOT NULL AND c.company_id = $4::uuid AS same_company,
               similarity(c.first_name || ' ' || coalesce(c.last_name, ''), $5::text)::float8 AS name_similarity
          FROM contact c
         WHERE c.tenant_id = $1 AND c.deleted_at IS NULL AND c.erased_at IS NULL
           AND c.id IN (SELECT contact_id FROM by_email UNION SELECT contact_id FROM by_phone UNION SELECT contact_id FROM by_company)
      )
      SELECT m.id::text AS id, m.first_name AS "firstName", m.last_name AS "lastName", m.company_id::text AS "companyId",
             (SELECT e.address FROM contact_email e WHERE e.contact_id = m.id ORDER BY e."primary" DESC, e.position LIMIT 1) AS "primaryEmail",
             m.same_email AS "sameEmail", m.same_phone AS "samePhone", coalesce(m.same_company, false) AS "sameCompany",
             m.name_similarity AS "nameSimilarity"
        FROM matched m
       WHERE m.same_email OR (m.name_similarity >= $6::float8 AND (m.same_company OR m.same_phone))
       ORDER BY m.same_email DESC, m.name_similarity DESC, m.id
       LIMIT $7::int`,
};

/** Possible duplicates of a new or changed contact; the only code that runs that query. */
@Injectable()
export class DuplicateRepository {
  constructor(private readonly statements: PreparedStatements) {}

  candidates(tenantId: string, probe: DuplicateProbe, minNameSimilarity: number, limit: number): Promise<DuplicateMatch[]> {
    const { emailKeys, phoneDigits, fullName, companyId } = probe;
    return this.statements.rows<DuplicateMatch>(DUPLICATE_CANDIDATES, [tenantId, emailKeys, phoneDigits, companyId, fullName, minNameSimilarity, limit]);
  }
}
