/**
 * How the email module makes marketing mail trackable without knowing the tracking module:
 * the campaigns/tracking module provides it; the email module calls it (when provided) on the
 * rendered HTML of each marketing send, before it goes to SMTP.
 */
export interface TrackedSend {
  tenantId: string;
  contactId: string;
  /** The email_send row's id: clicks and opens are recorded against it. */
  sendId: string;
  source?: { kind: 'sequence' | 'campaign' | 'rule' | 'manual'; id: string };
}

export abstract class EmailLinkTracking {
  /** The HTML with every http(s) link through the signed click redirect and an open pixel appended. */
  abstract instrument(html: string, send: TrackedSend): string;
}
