/**
 * How the automation features (sequences, campaigns, rules) send mail without knowing the email
 * module's insides: they depend on this abstract class, the email module provides it.
 */

/** Transactional mail (receipts, thank-yous) goes to anyone with an address; marketing mail only to subscribed contacts. */
export type EmailPurpose = 'transactional' | 'marketing';

/** What a send was for: the send log, attribution and the run history read it. */
export interface EmailSendSource {
  kind: 'sequence' | 'campaign' | 'rule' | 'manual';
  id: string;
}

export interface EmailSendRequest {
  tenantId: string;
  contactId: string;
  templateId: string;
  /**
   * Idempotency key, unique per tenant (e.g. `enrolment:<id>:step:<n>`): the same key is sent at
   * most once after it was accepted by SMTP, and always carries the same Message-ID, so a send
   * retried after a crash can be recognised at the receiving end.
   */
  sendKey: string;
  /** Records the template may read besides the contact, its company and the sender. */
  context?: { dealId?: string; orderId?: string };
  source?: EmailSendSource;
}

export type EmailSendOutcome =
  | { status: 'sent'; sendId: string; messageId: string }
  | { status: 'already-sent'; sendId: string; messageId: string }
  | { status: 'skipped'; reason: 'not-subscribed' | 'no-email' | 'contact-gone' };

export abstract class EmailDispatch {
  /**
   * Renders the template for the contact and sends it now. Marketing mail is checked against the
   * contact's consent at this moment (an unsubscribe after scheduling stops it). A template that
   * cannot render throws a domain error with a stable code; an SMTP failure throws (retry later).
   */
  abstract send(request: EmailSendRequest): Promise<EmailSendOutcome>;

  /** A due batch: sent in parallel over the SMTP pool; one outcome (or error) per request, in order. */
  abstract sendMany(requests: readonly EmailSendRequest[]): Promise<Array<EmailSendOutcome | { status: 'failed'; error: string }>>;
}
