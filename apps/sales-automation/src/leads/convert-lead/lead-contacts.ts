import { Injectable } from '@nestjs/common';
import { createCompany, createContact, DuplicateCandidate } from '@crm/contracts';
import { RemoteError, RpcClient } from '@crm/messaging';
import type { LeadRow } from '../lead.mapper';

/**
 * Conversion's calls to the contacts service, on behalf of the caller (their token travels). Each
 * carries a request id derived from the lead: contacts applies a command once per request id
 * (its command inbox), so a conversion retried after a crash gets the record made the first time.
 */
@Injectable()
export class LeadContacts {
  constructor(private readonly rpc: RpcClient) {}

  /** The contact for the lead: an existing one when contacts' duplicate check finds one (reused), else a new one. */
  async contactFor(lead: LeadRow, companyId: string | null): Promise<{ id: string; reused: boolean }> {
    const firstName = lead.first_name ?? lead.last_name ?? lead.company_name ?? lead.email?.split('@')[0] ?? 'Lead';
    const contact = {
      firstName,
      ...(lead.first_name && lead.last_name && { lastName: lead.last_name }),
      ...(lead.email && { emails: [{ address: lead.email, primary: true }] }),
      ...(lead.phone && { phones: [{ number: lead.phone, primary: true }] }),
      ...(companyId && { companyId }),
      ...(lead.owner_id && { ownerId: lead.owner_id }),
      lifecycleStage: 'prospect' as const,
    };
    try {
      const created = await this.rpc.call(createContact, { contact, allowDuplicates: false }, { requestId: `lead-conversion/${lead.id}/contact` });
      return { id: created.id, reused: false };
    } catch (error) {
      const duplicate = bestDuplicate(error);
      if (!duplicate) throw error;
      return { id: duplicate.id, reused: true };
    }
  }

  async companyFor(lead: LeadRow, name: string): Promise<string> {
    const company = await this.rpc.call(
      createCompany,
      { company: { name, ...(lead.owner_id && { ownerId: lead.owner_id }) } },
      {
        requestId: `lead-conversion/${lead.id}/company`,
      },
    );
    return company.id;
  }
}

/** The candidate of a CONFLICT with duplicates, same email first. */
function bestDuplicate(error: unknown): DuplicateCandidate | undefined {
  if (!(error instanceof RemoteError) || error.code !== 'CONFLICT') return undefined;
  const duplicates = (error.details as { duplicates?: DuplicateCandidate[] } | undefined)?.duplicates ?? [];
  return duplicates.find((d) => d.reasons.includes('same-email')) ?? duplicates[0];
}
