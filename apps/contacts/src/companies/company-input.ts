import type { z } from 'zod';
import type { companyInputSchema } from '@crm/contracts';
import { distinctTags, textOrNull, withOnePrimary } from '../shared/primary';
import type { CompanyWrite } from './company.table';

export type CompanyInput = z.infer<typeof companyInputSchema>;

/** The stored form of (part of) a company input; custom fields are checked separately. */
export function companyWrite(input: Partial<CompanyInput>): Partial<Omit<CompanyWrite, 'customFields'>> {
  return {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.domain !== undefined && { domain: textOrNull(input.domain?.toLowerCase()) }),
    ...(input.industry !== undefined && { industry: textOrNull(input.industry) }),
    ...(input.phones !== undefined && { phones: withOnePrimary(input.phones) }),
    ...(input.addresses !== undefined && { addresses: input.addresses }),
    ...(input.ownerId !== undefined && { ownerId: input.ownerId }),
    ...(input.tags !== undefined && { tags: distinctTags(input.tags) }),
  };
}
