import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface AcceptedMail {
  to: string;
  messageId: string;
  /** When the server accepted it (ms since the epoch). */
  at: number;
}

/**
 * An SMTP server that only records what it accepted (recipient, Message-ID from the header, time),
 * for thousands of messages: no parsing beyond the header. `delayMs` holds each message before the
 * reply (a slow relay), so a test can kill the sender while a batch is on the wire.
 */
export class CountingSmtp {
  readonly accepted: AcceptedMail[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: { delayMs?: number } = {}): Promise<CountingSmtp> {
    const made: { smtp?: CountingSmtp } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let head = '';
        stream.on('data', (chunk: Buffer) => {
          if (head.length < 8_192) head += chunk.toString('utf8');
        });
        stream.on('end', () => {
          const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '';
          const reply = () => {
            made.smtp?.accepted.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(','), messageId, at: Date.now() });
            callback();
          };
          if (options.delayMs) setTimeout(reply, options.delayMs);
          else reply();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    // A sender killed mid-message resets its connection: that is what the crash test does, not a failure of the server.
    server.on('error', () => undefined);
    const smtp = new CountingSmtp(server, (server.server.address() as AddressInfo).port);
    made.smtp = smtp;
    return smtp;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
