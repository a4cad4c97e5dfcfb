import { Injectable } from '@nestjs/common';
import { EmailConsent, emailConsentChanged, EMAIL_CONSENT_SOURCES, EMAIL_CONSENT_STATUSES, RpcResponse, getEmailConsent } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { contactNotFound } from '../email-errors';
import { EmailContextRepository } from '../sending/email-context.repository';
import { EmailConsentRepository } from './email-consent.repository';

type Status = (typeof EMAIL_CONSENT_STATUSES)[number];
type Source = (typeof EMAIL_CONSENT_SOURCES)[number];

/**
 * Each contact's email subscription. A change is kept in the history and published
 * (`email-consent.changed`); setting the status it already has changes nothing.
 */
@Injectable()
export class EmailConsentService {
  constructor(
    private readonly consents: EmailConsentRepository,
    private readonly contacts: EmailContextRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string, contactId: string): Promise<RpcResponse<typeof getEmailConsent>> {
    await this.requireContact(tenantId, contactId);
    const [row, history] = await Promise.all([this.consents.find(tenantId, contactId), this.consents.history(tenantId, contactId)]);
    return {
      ...toConsent(contactId, row),
      history: history.map((h) => ({ status: h.status as Status, source: h.source as Source, at: new Date(h.at).toISOString() })),
    };
  }

  @Transactional()
  async set(tenantId: string, contactId: string, status: Status, source: Source): Promise<RpcResponse<typeof getEmailConsent>> {
    await this.requireContact(tenantId, contactId);
    const before = await this.consents.findForUpdate(tenantId, contactId);
    const previousStatus = (before?.status ?? 'never_asked') as Status;
    if (previousStatus !== status) {
      const at = this.clock.now();
      await this.consents.set(tenantId, contactId, status, source, at);
      const consent: EmailConsent = { contactId, status, source, changedAt: at.toISOString() };
      await this.events.publish(emailConsentChanged, { consent, previousStatus }, { tenantId, subject: contactId });
    }
    return this.get(tenantId, contactId);
  }

  private async requireContact(tenantId: string, contactId: string): Promise<void> {
    const recipient = (await this.contacts.recipients(tenantId, [contactId])).get(contactId);
    if (!recipient || recipient.gone) throw contactNotFound(contactId);
  }
}

export function toConsent(contactId: string, row: { status: string; source: string; changed_at: Date | string } | undefined): EmailConsent {
  return row
    ? { contactId, status: row.status as Status, source: row.source as Source, changedAt: new Date(row.changed_at).toISOString() }
    : { contactId, status: 'never_asked', source: null, changedAt: null };
}
