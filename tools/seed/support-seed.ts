import type { GatewayClient } from './gateway-client';
import { inParallel } from './in-parallel';
import type { SeededContact } from './seed';

export interface SupportSeedCounts {
  tickets: number;
  kbArticles: number;
  slaPolicies: number;
}

export const SUPPORT_SEED_DEFAULTS = { tickets: 200 };

const PROBLEMS = [
  ['My order has not arrived', 'I ordered two weeks ago and the parcel is still not here. Can you check?'],
  ['Invoice charged twice', 'My card shows the same invoice twice this month. Please refund one.'],
  ['Cannot log in', 'The password reset email never arrives. What can I do?'],
  ['Wrong size delivered', 'I ordered a medium and got a large. How do I exchange it?'],
  ['Cancel my subscription', 'Please cancel my subscription at the end of this billing period.'],
  ['Damaged item', 'The box arrived crushed and the item inside is broken.'],
] as const;

const ARTICLES = [
  ['Orders', 'Track a parcel', 'Every shipped order has a tracking number in its shipping email. Parcels arrive within three working days.'],
  ['Orders', 'Exchange or return an item', 'Returns are free within 30 days. Start an exchange from your order page and print the label.'],
  ['Orders', 'Damaged delivery', 'Photograph the damage and the box, then answer your order email: we send a replacement at once.'],
  ['Billing', 'Refunds and double charges', 'A double charge is usually a card pre-authorisation that disappears within five days. Refunds take three to five days.'],
  ['Billing', 'Cancel a subscription', 'Subscriptions end at the close of the billing period; cancel from your account settings.'],
  ['Account', 'Reset your password', 'Open the sign-in page, choose "Forgot password" and follow the link we email you. Check your spam folder.'],
] as const;

/** A customer's email as a mail provider's inbound webhook posts it (RFC 5322). */
function rawEmail(from: SeededContact & { email: string }, to: string, subject: string, body: string, messageId: string): string {
  const name = [from.firstName, from.lastName].filter(Boolean).join(' ');
  return [`From: ${name} <${from.email}>`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${messageId}>`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
}

/**
 * The support side of the demo tenant: an inbound mailbox, business hours (Berlin, weekdays, German
 * holidays) and SLA policies, a knowledge base, and tickets mailed in by demo contacts through the
 * inbound-email route (so they thread, carry the requester's address and the portal works for
 * them): every third answered by an agent, every fifth solved.
 */
export async function seedSupport(client: GatewayClient, contacts: SeededContact[], options: { tickets: number; runTag: string; parallel: number }): Promise<SupportSeedCounts> {
  const mailbox = `support-${options.runTag}@demo-trading.example`;
  await client.put(`/api/v1/support-mailboxes/${mailbox}`, {});
  const weekday = [{ start: '09:00', end: '17:00' }];
  await client.put('/api/v1/business-hours', {
    timeZone: 'Europe/Berlin',
    weekly: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: weekday },
    publicHolidays: { country: 'DE' },
  });
  const policies = [
    { name: 'Urgent', priority: 'urgent', firstResponseMinutes: 60, resolutionMinutes: 480, raisePriority: false, notifyManager: true },
    { name: 'High', priority: 'high', firstResponseMinutes: 240, resolutionMinutes: 1_440, raisePriority: true },
    { name: 'Normal', priority: 'normal', firstResponseMinutes: 480, resolutionMinutes: 2_880, raisePriority: true },
  ];
  for (const policy of policies) await client.post('/api/v1/sla-policies', policy);

  const categories = new Map<string, string>();
  for (const [position, name] of ['Orders', 'Billing', 'Account'].entries()) {
    categories.set(name, (await client.post<{ id: string }>('/api/v1/kb/categories', { name, position })).id);
  }
  for (const [category, title, body] of ARTICLES) {
    await client.post('/api/v1/kb/articles', { title, body, categoryId: categories.get(category), status: 'published', tags: [category.toLowerCase()] });
  }

  const requesters = contacts.filter((c): c is SeededContact & { email: string } => c.email !== null).slice(0, options.tickets);
  let made = 0;
  await inParallel(
    requesters.map((contact, n) => ({ contact, n })),
    options.parallel,
    async ({ contact, n }) => {
      const [subject, body] = PROBLEMS[n % PROBLEMS.length];
      const received = await client.postRaw<{ ticketId: string | null }>(
        '/api/v1/tickets/inbound-email',
        'message/rfc822',
        rawEmail(contact, mailbox, subject, body, `demo-${options.runTag}-${n}@customer.example`),
      );
      made += 1;
      if (!received.ticketId) return;
      if (n % 3 === 0) await client.post(`/api/v1/tickets/${received.ticketId}/messages`, { kind: 'public', body: 'Thank you for writing: we are on it and will get back to you today.' });
      if (n % 5 === 0) await client.patch(`/api/v1/tickets/${received.ticketId}`, { status: 'solved' });
    },
  );
  return { tickets: made, kbArticles: ARTICLES.length, slaPolicies: policies.length };
}
