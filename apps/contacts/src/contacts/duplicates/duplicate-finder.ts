import { Injectable } from '@nestjs/common';
import type { ContactInput, DuplicateCandidate } from '@crm/contracts';
import { phoneDigits } from '../../shared/text-keys';
import { emailKey } from '../contact.repository';
import { DuplicateMatch, DuplicateRepository } from './duplicate.repository';

/**
 * Full names at least this trigram-similar count as "similar" (pg_trgm `similarity`, 0..1).
 * "Jon Smith" / "John Smith" scores 0.62; "Jim Smith" / "Jon Smith" 0.54 and "Jane Smith" /
 * "John Smith" 0.47 stay apart (duplicates.spec.ts pins these).
 */
export const SIMILAR_NAME = 0.6;
/** More than this is noise to whoever has to choose; the strongest come first. */
export const MAX_CANDIDATES = 10;

/**
 * Likely duplicates of a contact about to be created, among the tenant's live contacts:
 * - the same email address (case-insensitive), whatever the name;
 * - a similar full name at the same company;
 * - a similar full name with the same phone number (digits only: "+1 (555) 010-0200" = "15550100200").
 *   A shared phone alone (a switchboard, a household) is not enough, hence the contract's
 *   `similar-name-same-phone`.
 */
@Injectable()
export class DuplicateFinder {
  constructor(private readonly repository: DuplicateRepository) {}

  async find(tenantId: string, input: ContactInput): Promise<DuplicateCandidate[]> {
    const probe = {
      emailKeys: distinct((input.emails ?? []).map((e) => emailKey(e.address))),
      phoneDigits: distinct((input.phones ?? []).map((p) => phoneDigits(p.number))),
      fullName: fullName(input.firstName, input.lastName),
      companyId: input.companyId ?? null,
    };
    const matches = await this.repository.candidates(tenantId, probe, SIMILAR_NAME, MAX_CANDIDATES);
    return matches.map((m) => ({
      id: m.id,
      firstName: m.firstName,
      lastName: m.lastName,
      primaryEmail: m.primaryEmail,
      companyId: m.companyId,
      reasons: reasons(m),
    }));
  }
}

function fullName(firstName: string, lastName: string | undefined): string {
  return `${firstName} ${lastName ?? ''}`.trim();
}

function distinct(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}

function reasons(m: DuplicateMatch): DuplicateCandidate['reasons'] {
  const similarName = m.nameSimilarity >= SIMILAR_NAME;
  return [
    ...(m.sameEmail ? (['same-email'] as const) : []),
    ...(similarName && m.sameCompany ? (['similar-name-same-company'] as const) : []),
    ...(similarName && m.samePhone ? (['similar-name-same-phone'] as const) : []),
  ];
}
