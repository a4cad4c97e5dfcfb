import { writeFileSync } from 'node:fs';
import { type CaughtMail, mailIn } from '@crm/testing';
import { CLOCK_OFFSET_FILE_VARIABLE, MAIL_DIRECTORY_VARIABLE } from './shared-system';

/*
 * What the automation files see of the shared system's mail and time: the messages the set-up's
 * SMTP server received, and the sales-automation service's clock, moved forward by weeks.
 */

function variable(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the CRM end-to-end files through their Jest project (global set-up)`);
  return value;
}

/** Every message received so far. */
export function receivedMail(): Promise<CaughtMail[]> {
  return mailIn(variable(MAIL_DIRECTORY_VARIABLE));
}

/** The first received message matching `match`, waiting for it. */
export async function mailArrives(match: (mail: CaughtMail) => boolean, waitMs = 20_000): Promise<CaughtMail> {
  const until = Date.now() + waitMs;
  for (;;) {
    const mail = await receivedMail();
    const found = mail.find(match);
    if (found) return found;
    if (Date.now() > until)
      throw new Error(`no matching mail among ${mail.length}: ${mail.map((m) => `${m.to.join(',')} "${m.parsed.subject}"`).join('; ') || 'none'}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Messages to `address` (case-insensitive). */
export async function mailTo(address: string): Promise<CaughtMail[]> {
  const wanted = address.toLowerCase();
  return (await receivedMail()).filter((m) => m.to.some((to) => to.toLowerCase() === wanted));
}

/** Moves the sales-automation service's clock to `ms` ahead of real time (0: real time again). */
export function setClockAhead(ms: number): void {
  writeFileSync(variable(CLOCK_OFFSET_FILE_VARIABLE), String(ms));
}
