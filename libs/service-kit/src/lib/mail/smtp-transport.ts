import { createTransport, type Transporter } from 'nodemailer';

/**
 * A pooled nodemailer SMTP transport for `url` (smtp:// or smtps://, credentials in the URL). A
 * certificate is checked in production only: a local catcher or a relay on a private network may
 * have none worth checking.
 */
export function smtpTransport(url: string, options: { maxConnections: number; production: boolean }): Transporter {
  return createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections,
    maxMessages: 1_000,
    tls: { rejectUnauthorized: options.production },
  } as Parameters<typeof createTransport>[0]);
}
