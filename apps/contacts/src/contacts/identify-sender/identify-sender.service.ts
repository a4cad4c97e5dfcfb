import { Injectable, Logger } from '@nestjs/common';
import { contactIdentified, contactInputSchema, DomainError } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { CreateContactService } from '../create-contact/create-contact.service';
import { DuplicateFinder } from '../duplicates/duplicate-finder';
import { DuplicateRepository } from '../duplicates/duplicate.repository';
import { emailKey } from '../contact.repository';

/** An address another service met, with the name it came with and the record it came on. */
export interface MetSender {
  email: string;
  name: string | null;
  source: { service: string; recordId: string };
}

/** Tagged on a contact made for a sender, so people can see where it came from. */
export const SENDER_TAG = 'support';

/**
 * The contact of an address another service met (a ticket's sender): the live contact the
 * duplicate check's same-email rule finds, else a new one made for it. Either way
 * `contacts.contact.identified.v1` tells the other service which contact it is. Runs in the
 * consumer's transaction with the inbox row; the address is locked until it commits, so two
 * tickets from one new sender make one contact.
 */
@Injectable()
export class IdentifySenderService {
  private readonly logger = new Logger(IdentifySenderService.name);

  constructor(
    private readonly duplicates: DuplicateFinder,
    private readonly repository: DuplicateRepository,
    private readonly create: CreateContactService,
    private readonly events: EventPublisher,
  ) {}

  /** The contact's id, or null when no contact can be made of the address (a tenant's required custom field, an address contacts refuses). */
  async contactFor(tenantId: string, sender: MetSender): Promise<string | null> {
    const input = contactInputSchema.safeParse({ ...names(sender), emails: [{ address: sender.email, primary: true }], tags: [SENDER_TAG] });
    if (!input.success) return null;
    await this.repository.lockEmail(tenantId, emailKey(sender.email));
    const found = (await this.duplicates.find(tenantId, input.data)).find((c) => c.reasons.includes('same-email'));
    const contactId = found?.id ?? (await this.createFor(tenantId, input.data));
    if (!contactId) return null;
    await this.events.publish(
      contactIdentified,
      { contactId, email: sender.email, created: !found, source: sender.source },
      { tenantId, subject: contactId },
    );
    return contactId;
  }

  private async createFor(tenantId: string, contact: ReturnType<typeof contactInputSchema.parse>): Promise<string | null> {
    try {
      return (await this.create.create(tenantId, { contact, allowDuplicates: true })).id;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
      // The tenant asks for what a sender cannot give (a required custom field): left for a person to file.
      this.logger.warn(`no contact made for a sender of ${tenantId}: ${error.message}`);
      return null;
    }
  }
}

/** "Jane Q. Doe" -> Jane / Q. Doe; no name: the address's local part. */
function names({ email, name }: MetSender): { firstName: string; lastName?: string } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return { firstName: email.split('@')[0].slice(0, 100) || email.slice(0, 100) };
  const [first, ...rest] = words;
  return { firstName: first.slice(0, 100), ...(rest.length && { lastName: rest.join(' ').slice(0, 100) }) };
}
