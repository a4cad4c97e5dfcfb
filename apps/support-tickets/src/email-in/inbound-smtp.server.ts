import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MessageContext } from '@crm/messaging';
import { SMTPServer, SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { AppConfig } from '../app.config';
import { MailboxDirectory } from '../mailboxes/mailbox-directory';
import { splitTaggedAddress } from './inbound-address';
import { InboundEmailRefused, REFUSALS } from './inbound-email';
import { ReceiveEmailService } from './receive-email/receive-email.service';

/** An SMTP reply with its code: smtp-server sends `responseCode` and the message to the client. */
const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/**
 * The service's own SMTP listener (smtp-server): the MX or a relay delivers support mail here.
 * Recipients are checked at RCPT (550 for an address that is no mailbox), the size at DATA (SIZE
 * is advertised; over it, 552), and the message is ticketed before the 250: a reply of 250 means
 * it is in the database. A refusal is a 5xx with its reason; anything unexpected a 451, so the
 * sender tries again later and nothing is lost. Nothing a client sends can stop the listener.
 */
@Injectable()
export class InboundSmtpServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(InboundSmtpServer.name);
  private server: SMTPServer | undefined;
  private boundPort: number | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly mailboxes: MailboxDirectory,
    private readonly receiver: ReceiveEmailService,
    private readonly context: MessageContext,
  ) {}

  /** The port it listens on (a free one when configured 0), undefined when off. */
  get port(): number | undefined {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.SUPPORT_TICKETS_INBOUND_SMTP_PORT;
    if (port < 0) return;
    const server = new SMTPServer({
      name: 'support-tickets',
      banner: 'CRM support mail',
      size: this.config.SUPPORT_TICKETS_INBOUND_MAX_BYTES,
      // Inbound mail for our own mailboxes: no login, no relaying anywhere else (RCPT is checked).
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      logger: false,
      onRcptTo: (address, session, callback) => void this.checkRecipient(address, session).then(() => callback(), callback),
      onData: (stream, session, callback) => void this.receive(stream, session).then((reply) => callback(null, reply), callback),
    });
    server.on('error', (error) => this.logger.warn(`SMTP listener: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, this.config.SUPPORT_TICKETS_INBOUND_SMTP_HOST, () => resolve());
    });
    this.server = server;
    const address = server.server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : port;
    this.logger.log(`SMTP listener on ${this.config.SUPPORT_TICKETS_INBOUND_SMTP_HOST}:${this.boundPort}`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async checkRecipient(address: SMTPServerAddress, _session: SMTPServerSession): Promise<void> {
    const { mailbox } = splitTaggedAddress(address.address.toLowerCase());
    if (!(await this.mailboxes.isMailbox(mailbox))) throw smtpError(REFUSALS.UNKNOWN_MAILBOX.smtp, `5.1.1 <${address.address}>: ${REFUSALS.UNKNOWN_MAILBOX.message}`);
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) throw smtpError(REFUSALS.EMAIL_TOO_LARGE.smtp, `5.3.4 ${REFUSALS.EMAIL_TOO_LARGE.message}`);
    try {
      const result = await this.context.run({}, () =>
        this.receiver.receive(Buffer.concat(chunks), { envelopeRecipients: session.envelope.rcptTo.map((r) => r.address) }),
      );
      return result.number ? `2.0.0 ${result.outcome}: ticket #${result.number}` : `2.0.0 ${result.outcome}${result.reason ? ` (${result.reason})` : ''}`;
    } catch (error) {
      if (error instanceof InboundEmailRefused) throw smtpError(REFUSALS[error.code].smtp, `5.6.0 ${error.message}`);
      this.logger.error(`an inbound message failed: ${(error as Error).message}`);
      throw smtpError(451, '4.3.0 Temporary failure; please try again later.');
    }
  }
}
