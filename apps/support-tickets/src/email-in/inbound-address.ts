/** `support+k3x9@acme.example` -> the mailbox `support@acme.example` and the tag `k3x9` (a ticket's reply token). */
export function splitTaggedAddress(address: string): { mailbox: string; tag: string | null } {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const plus = local.indexOf('+');
  if (at < 0 || plus < 0) return { mailbox: address, tag: null };
  return { mailbox: `${local.slice(0, plus)}${address.slice(at)}`, tag: local.slice(plus + 1) || null };
}

export function taggedAddress(mailbox: string, tag: string): string {
  const at = mailbox.lastIndexOf('@');
  return `${mailbox.slice(0, at)}+${tag}${mailbox.slice(at)}`;
}

/** The `[#1042]` an outgoing subject carries. */
export function ticketNumberInSubject(subject: string): number | null {
  const match = subject.match(/\[#(\d{1,9})\]/);
  return match ? Number(match[1]) : null;
}

/** The mark our outgoing mail carries in X-Loop: mail that comes back with it went round a loop. */
export const LOOP_MARK = 'crm-support-tickets';
