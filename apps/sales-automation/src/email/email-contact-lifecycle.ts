import { Injectable } from '@nestjs/common';
import { EmailConsentRepository } from './consent/email-consent.repository';
import { EmailSendRepository } from './sending/email-send.repository';

/** The stricter of two statuses wins a merge: an unsubscribe is never undone by merging. */
const STRICTNESS: Record<string, number> = { never_asked: 0, subscribed: 1, bounced: 2, unsubscribed: 3 };

/** What the contact's merged and erased events do to the email data (called by the local copies, in the event's transaction). */
@Injectable()
export class EmailContactLifecycle {
  constructor(
    private readonly consents: EmailConsentRepository,
    private readonly sends: EmailSendRepository,
  ) {}

  async erased(tenantId: string, contactId: string): Promise<void> {
    await this.consents.deleteForContact(tenantId, contactId);
    await this.sends.deleteForContact(tenantId, contactId);
  }

  async merged(tenantId: string, mergedId: string, survivorId: string, at: Date): Promise<void> {
    const [merged, survivor] = await Promise.all([this.consents.find(tenantId, mergedId), this.consents.find(tenantId, survivorId)]);
    if (merged && (STRICTNESS[merged.status] ?? 0) > (STRICTNESS[survivor?.status ?? 'never_asked'] ?? 0)) {
      await this.consents.set(tenantId, survivorId, merged.status, merged.source, at);
    }
    await this.consents.moveHistory(tenantId, mergedId, survivorId);
    await this.consents.deleteForContact(tenantId, mergedId);
    await this.sends.moveToSurvivor(tenantId, mergedId, survivorId);
  }
}
