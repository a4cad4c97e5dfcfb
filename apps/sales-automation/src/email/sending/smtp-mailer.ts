import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { smtpTransport } from '@crm/service-kit';
import type { SendMailOptions, Transporter } from 'nodemailer';
import { AppConfig } from '../../app.config';

/** One pooled nodemailer transport per replica (SALES_AUTOMATION_SMTP_URL, _SMTP_MAX_CONNECTIONS), closed on shutdown. */
@Injectable()
export class SmtpMailer implements OnModuleDestroy {
  private readonly transport: Transporter;
  readonly poolSize: number;

  constructor(config: AppConfig) {
    this.poolSize = config.SALES_AUTOMATION_SMTP_MAX_CONNECTIONS;
    this.transport = smtpTransport(config.SALES_AUTOMATION_SMTP_URL, { maxConnections: this.poolSize, production: config.NODE_ENV === 'production' });
  }

  async send(message: SendMailOptions): Promise<void> {
    await this.transport.sendMail(message);
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
