import { randomUUID } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import { LOOP_MARK } from '../email-in/inbound-address';
import type { OutgoingEmailRow } from './outgoing-email.repository';

/** A Message-ID of ours, on the mailbox's domain (so a reply's In-Reply-To finds the ticket). */
export function newMessageId(mailbox: string): string {
  return `<${randomUUID()}@${mailbox.slice(mailbox.lastIndexOf('@') + 1)}>`;
}

/**
 * In-Reply-To and References for a reply on a thread whose emails had these Message-IDs (oldest
 * first): it answers the latest, and references the first and the latest ten (RFC 5322 3.6.4; mail
 * clients need the root and the parent to show one conversation).
 */
export function threadHeaders(threadMessageIds: string[]): { inReplyTo: string | null; references: string[] } {
  if (!threadMessageIds.length) return { inReplyTo: null, references: [] };
  const recent = threadMessageIds.slice(-10);
  const references = threadMessageIds.length > 10 ? [threadMessageIds[0], ...recent] : recent;
  return { inReplyTo: threadMessageIds[threadMessageIds.length - 1], references };
}

/** `Re: [#1042] Order 4711 has not arrived`: the number threads a reply even when its headers are lost. */
export function replySubject(number: number, subject: string): string {
  const bare = subject.replace(/^((re|aw|sv|fwd?|wg)\s*:\s*)+/i, '').replace(/\[#\d+\]\s*/, '');
  return `Re: [#${number}] ${bare}`;
}

/** The nodemailer message for a queued reply: from the mailbox, replies to its tagged address, threaded. */
export function replyMessage(row: OutgoingEmailRow, from: string): SendMailOptions {
  return {
    from,
    to: row.to_address,
    ...(row.reply_to && { replyTo: row.reply_to }),
    subject: row.subject,
    text: row.body,
    messageId: row.email_message_id,
    ...(row.in_reply_to && { inReplyTo: row.in_reply_to }),
    ...(row.references.length && { references: row.references }),
    headers: { 'X-Loop': LOOP_MARK },
  };
}
