import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { smtpTransport } from '@crm/service-kit';
import type { SendMailOptions, Transporter } from 'nodemailer';
import { AppConfig } from '../app.config';

/** One pooled nodemailer transport per replica (SUPPORT_TICKETS_SMTP_URL), closed on shutdown. */
@Injectable()
export class SupportMailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(config: AppConfig) {
    this.transport = smtpTransport(config.SUPPORT_TICKETS_SMTP_URL, { maxConnections: 3, production: config.NODE_ENV === 'production' });
  }

  async send(message: SendMailOptions): Promise<void> {
    await this.transport.sendMail(message);
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
