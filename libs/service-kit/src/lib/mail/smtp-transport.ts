import type { Transporter } from 'nodemailer';

/**
 * A pooled nodemailer SMTP transport for `url` (smtp:// or smtps://, credentials in the URL). A
 * certificate is checked in production only: a local catcher or a relay on a private network may
 * have none worth checking. nodemailer is loaded on the first call, not with the kit: every
 * service imports the kit, two send mail, and nodemailer's 39 modules held idle memory in the rest.
 */
export function smtpTransport(url: string, options: { maxConnections: number; production: boolean }): Transporter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTransport } = require('nodemailer') as typeof import('nodemailer');
  return createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections,
    maxMessages: 1_000,
    tls: { rejectUnauthorized: options.production },
  } as Parameters<typeof createTransport>[0]);
}
