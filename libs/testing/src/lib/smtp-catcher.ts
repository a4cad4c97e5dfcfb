import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP server received it: the envelope, the raw RFC 5322 text and its parse. */
export interface CaughtMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
  /** The Message-ID header (with its angle brackets), how duplicates are counted. */
  messageId: string | undefined;
}

export interface SmtpCatcherOptions {
  /** Keep each message as `<n>.eml` in this directory too, for readers in other processes (end-to-end files). */
  directory?: string;
  /** Refuse every message with this SMTP reply code (e.g. 451) while set: a failing mail server. */
  refuseWith?: number;
}

/**
 * A real SMTP server in the test process (the `smtp-server` package, no auth, no TLS) that keeps
 * every message it accepts, parsed with `mailparser`: services under test send to it as to any
 * mail server, and tests read what arrived.
 */
export class SmtpCatcher {
  readonly messages: CaughtMail[] = [];
  refuseWith: number | undefined;
  private counter = 0;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    private readonly directory: string | undefined,
  ) {}

  static async start(options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
    if (options.directory) mkdirSync(options.directory, { recursive: true });
    // The server's callbacks reach the catcher made once the server listens.
    const made: { catcher?: SmtpCatcher } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 25 * 1024 * 1024,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (made.catcher?.refuseWith) {
            const error = Object.assign(new Error('refused by the test'), { responseCode: made.catcher.refuseWith });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const to = session.envelope.rcptTo.map((r) => r.address);
          void simpleParser(raw).then(
            (parsed) => {
              made.catcher?.keep({ from, to, raw, parsed, messageId: parsed.messageId });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.server.address() as AddressInfo).port;
    const catcher = new SmtpCatcher(server, port, options.directory);
    catcher.refuseWith = options.refuseWith;
    made.catcher = catcher;
    return catcher;
  }

  /** The URL a service's SMTP setting takes. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The first message matching `match`, waiting for it. */
  async waitFor(match: (mail: CaughtMail) => boolean, waitMs = 15_000): Promise<CaughtMail> {
    const until = Date.now() + waitMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no matching mail among ${this.messages.length}: ${this.messages.map((m) => `${m.to.join(',')} "${m.parsed.subject}"`).join('; ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Messages to `address` (case-insensitive). */
  to(address: string): CaughtMail[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((m) => m.to.some((t) => t.toLowerCase() === wanted));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private keep(mail: CaughtMail): void {
    this.messages.push(mail);
    if (this.directory) writeFileSync(join(this.directory, `${String(++this.counter).padStart(6, '0')}.eml`), mail.raw);
  }
}

/** The messages an SmtpCatcher of another process kept in `directory` (end-to-end files read the set-up's catcher). */
export async function mailIn(directory: string): Promise<CaughtMail[]> {
  const files = readdirSync(directory)
    .filter((f) => f.endsWith('.eml'))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = readFileSync(join(directory, file), 'utf8');
      const parsed = await simpleParser(raw);
      const to = [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
      return { from: parsed.from?.value[0]?.address ?? '', to, raw, parsed, messageId: parsed.messageId };
    }),
  );
}
