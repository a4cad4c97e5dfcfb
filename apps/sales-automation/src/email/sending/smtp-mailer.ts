import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import { AppConfig } from '../../app.config';

/** One pooled nodemailer transport per replica (SALES_AUTOMATION_SMTP_URL, _SMTP_MAX_CONNECTIONS), closed on shutdown. */
@Injectable()
export class SmtpMailer implements OnModuleDestroy {
  private readonly transport: Transporter;
  readonly poolSize: number;

  constructor(config: AppConfig) {
    this.poolSize = config.SALES_AUTOMATION_SMTP_MAX_CONNECTIONS;
    this.transport = createTransport({
      url: config.SALES_AUTOMATION_SMTP_URL,
      pool: true,
      maxConnections: this.poolSize,
      maxMessages: 1_000,
      // A local catcher or a relay on a private network may have no certificate worth checking.
      tls: { rejectUnauthorized: config.NODE_ENV === 'production' },
    } as Parameters<typeof createTransport>[0]);
  }

  async send(message: SendMailOptions): Promise<void> {
    await this.transport.sendMail(message);
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
