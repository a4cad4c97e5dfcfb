import { Injectable } from '@nestjs/common';
import { DomainError, EmailSender, emailSenderChanged, resetEmailSender, RpcRequest, setEmailSender } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../app.config';
import { checkVersion } from '../email-errors';
import { EmailSenderRepository, EmailSenderRow } from './email-sender.repository';

/** The From of a message: a name and an address, and where replies go. */
export interface ResolvedSender {
  name: string;
  address: string;
  replyTo: string | null;
}

/** "Name <address>" as the configuration says it. */
export function parseFrom(from: string): { name: string; address: string } {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  return match ? { name: match[1].replace(/^"|"$/g, ''), address: match[2] } : { name: '', address: from.trim() };
}

/** Each tenant's sender, or the system's (SALES_AUTOMATION_MAIL_FROM) while it has none. */
@Injectable()
export class EmailSenders {
  private readonly system: ResolvedSender;

  constructor(
    private readonly repository: EmailSenderRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.system = { ...parseFrom(config.SALES_AUTOMATION_MAIL_FROM), replyTo: null };
  }

  /** Who a tenant's mail comes from now. */
  async resolve(tenantId: string): Promise<ResolvedSender> {
    const row = await this.repository.find(tenantId);
    return row ? { name: row.name, address: row.address, replyTo: row.reply_to } : this.system;
  }

  async get(tenantId: string): Promise<EmailSender> {
    return this.toSender(await this.repository.find(tenantId));
  }

  @Transactional()
  async set(tenantId: string, { sender, expectedVersion }: RpcRequest<typeof setEmailSender>): Promise<EmailSender> {
    const current = await this.repository.find(tenantId);
    checkVersion(expectedVersion, current?.version ?? 0);
    const row = await this.repository.upsert(tenantId, sender, current?.version ?? 0, this.clock.now());
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The sender changed meanwhile; read it again.');
    return this.changed(tenantId, row);
  }

  @Transactional()
  async reset(tenantId: string, { expectedVersion }: RpcRequest<typeof resetEmailSender>): Promise<EmailSender> {
    const current = await this.repository.find(tenantId);
    checkVersion(expectedVersion, current?.version ?? 0);
    if (!current) return this.toSender(undefined);
    await this.repository.delete(tenantId);
    return this.changed(tenantId, undefined);
  }

  private async changed(tenantId: string, row: EmailSenderRow | undefined): Promise<EmailSender> {
    const sender = this.toSender(row);
    await this.events.publish(emailSenderChanged, { sender }, { tenantId, subject: tenantId });
    return sender;
  }

  private toSender(row: EmailSenderRow | undefined): EmailSender {
    if (!row) return { ...this.system, systemDefault: true, version: 0, updatedAt: null };
    return {
      name: row.name,
      address: row.address,
      replyTo: row.reply_to,
      systemDefault: false,
      version: row.version,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}
