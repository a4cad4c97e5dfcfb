import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { emailSent } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../app.config';
import { EmailDispatch, EmailSendOutcome, EmailSendRequest } from '../../automation-ports/email-dispatch.port';
import { EmailLinkTracking } from '../../automation-ports/email-link-tracking.port';
import { EmailConsentRepository } from '../consent/email-consent.repository';
import { templateNotFound } from '../email-errors';
import { EmailTemplateRepository } from '../templates/email-template.repository';
import { TemplateRenderer } from '../templates/template-renderer';
import type { EmailTemplateRow } from '../templates/email-template.mapper';
import { EmailContextRepository, Recipient } from './email-context.repository';
import { ClaimedSend, EmailSendRepository } from './email-send.repository';
import { SmtpMailer } from './smtp-mailer';
import { UnsubscribeTokens } from './unsubscribe-token';
import { EmailSenders, ResolvedSender } from '../senders/email-senders';

type Outcome = EmailSendOutcome | { status: 'failed'; error: string };

/** "Name <address>" → its parts (the address alone when there is no name). */

/**
 * Sends templates to contacts over the pooled SMTP transport. A batch costs a fixed number of
 * statements (templates, recipients, consents, one claim of every send key, one update of the
 * sent ones, one outbox insert), whatever its size; SMTP runs in parallel over the pool.
 * Idempotent by send key: a key sent before answers `already-sent`; a key claimed by a send that
 * was cut short (a crash between the claim and the update) is sent again with the same
 * Message-ID, so the receiving end can count the duplicates.
 */
/** How many accepted messages are recorded as sent at a time: at most this many (plus those on the wire) are sent again after a crash. */
const RECORD_SENT_EVERY = 10;

@Injectable()
export class EmailDispatchService extends EmailDispatch {
  private readonly logger = new Logger(EmailDispatchService.name);
  private tracking: EmailLinkTracking | null | undefined;

  constructor(
    private readonly templates: EmailTemplateRepository,
    private readonly context: EmailContextRepository,
    private readonly consents: EmailConsentRepository,
    private readonly sends: EmailSendRepository,
    private readonly renderer: TemplateRenderer,
    private readonly mailer: SmtpMailer,
    private readonly tokens: UnsubscribeTokens,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
    private readonly senders: EmailSenders,
  ) {
    super();
  }

  async send(request: EmailSendRequest): Promise<EmailSendOutcome> {
    const [outcome] = await this.sendBatch(request.tenantId, [request], true);
    if (outcome.status === 'failed') throw new Error(outcome.error);
    return outcome;
  }

  async sendMany(requests: readonly EmailSendRequest[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(requests.length);
    const byTenant = new Map<string, number[]>();
    requests.forEach((r, i) => byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), i]));
    for (const [tenantId, indexes] of byTenant) {
      const results = await this.sendBatch(
        tenantId,
        indexes.map((i) => requests[i]),
        false,
      );
      indexes.forEach((i, k) => (outcomes[i] = results[k]));
    }
    return outcomes;
  }

  /** `strict`: an unknown template throws (one request); in a batch it fails its own item. */
  private async sendBatch(tenantId: string, requests: readonly EmailSendRequest[], strict: boolean): Promise<Outcome[]> {
    const templateIds = [...new Set(requests.map((r) => r.templateId))];
    const templates = new Map<string, EmailTemplateRow>();
    for (const id of templateIds) {
      const row = await this.templates.findLive(tenantId, id);
      if (row) templates.set(id, row);
      else if (strict) throw templateNotFound(id);
    }
    const contactIds = requests.map((r) => r.contactId);
    const [recipients, consents, sender] = await Promise.all([
      this.context.recipients(tenantId, contactIds),
      this.consents.statuses(tenantId, contactIds),
      this.senders.resolve(tenantId),
    ]);
    const domain = sender.address.split('@')[1] ?? 'crm.localhost';

    const outcomes: Outcome[] = new Array(requests.length);
    const toClaim: { index: number; id: string }[] = [];
    requests.forEach((request, index) => {
      const template = templates.get(request.templateId);
      const recipient = recipients.get(request.contactId);
      if (!template) outcomes[index] = { status: 'failed', error: `email template ${request.templateId} not found` };
      else if (!recipient || recipient.gone) outcomes[index] = { status: 'skipped', reason: 'contact-gone' };
      else if (!recipient.email) outcomes[index] = { status: 'skipped', reason: 'no-email' };
      // Checked now, at the moment of sending: an unsubscribe after scheduling stops the send.
      else if (template.purpose === 'marketing' && consents.get(request.contactId) !== 'subscribed')
        outcomes[index] = { status: 'skipped', reason: 'not-subscribed' };
      else toClaim.push({ index, id: randomUUID() });
    });

    const claimed = await this.sends.claim(
      tenantId,
      toClaim.map(({ index, id }) => {
        const r = requests[index];
        return {
          id,
          sendKey: r.sendKey,
          contactId: r.contactId,
          templateId: r.templateId,
          purpose: (templates.get(r.templateId) as EmailTemplateRow).purpose,
          sourceKind: r.source?.kind ?? null,
          sourceId: r.source?.id ?? null,
          messageId: `<${id}@${domain}>`,
        };
      }),
    );

    const due: { index: number; send: ClaimedSend }[] = [];
    for (const { index } of toClaim) {
      const send = claimed.get(requests[index].sendKey) as ClaimedSend;
      if (send.status === 'sent') outcomes[index] = { status: 'already-sent', sendId: send.id, messageId: send.message_id };
      else due.push({ index, send });
    }

    // Accepted messages are recorded as sent (with their emailSent events) every few acceptances,
    // not once at the end: a crash then re-sends only what SMTP took since the last record.
    const sent: { index: number; send: ClaimedSend }[] = [];
    let recorded = 0;
    let recording: Promise<void> = Promise.resolve();
    const recordAccepted = () => {
      const chunk = sent.slice(recorded);
      recorded = sent.length;
      recording = recording.then(() =>
        this.recordSent(
          tenantId,
          chunk.map(({ index, send }) => ({ request: requests[index], send, template: templates.get(requests[index].templateId) as EmailTemplateRow })),
        ),
      );
      return recording;
    };
    await this.inParallel(due, this.mailer.poolSize * 2, async (item) => {
      const request = requests[item.index];
      try {
        await this.deliver(request, templates.get(request.templateId) as EmailTemplateRow, recipients.get(request.contactId) as Recipient, item.send, sender);
        sent.push(item);
        if (sent.length - recorded >= RECORD_SENT_EVERY) await recordAccepted();
      } catch (error) {
        this.logger.warn(`send ${item.send.id} failed: ${(error as Error).message}`);
        outcomes[item.index] = { status: 'failed', error: (error as Error).message };
      }
    });
    await recordAccepted();
    for (const { index, send } of sent) outcomes[index] = { status: 'sent', sendId: send.id, messageId: send.message_id };
    return outcomes;
  }

  /** Marks the sends sent and publishes their emailSent events, together. */
  @Transactional()
  private async recordSent(
    tenantId: string,
    items: ReadonlyArray<{ request: EmailSendRequest; send: ClaimedSend; template: EmailTemplateRow }>,
  ): Promise<void> {
    if (!items.length) return;
    const at = this.clock.now();
    await this.sends.markSent(
      tenantId,
      items.map((i) => i.send.id),
      at,
    );
    await this.events.publishMany(
      emailSent,
      items.map(({ request, send, template }) => ({
        data: {
          sendId: send.id,
          contactId: request.contactId,
          templateId: request.templateId,
          purpose: template.purpose as 'transactional' | 'marketing',
          messageId: send.message_id,
          source: request.source ?? null,
          sentAt: at.toISOString(),
        },
        meta: { tenantId, subject: request.contactId },
      })),
    );
  }

  private async deliver(request: EmailSendRequest, template: EmailTemplateRow, recipient: Recipient, send: ClaimedSend, sender: ResolvedSender): Promise<void> {
    const marketing = template.purpose === 'marketing';
    const unsubscribeUrl = `${this.config.SALES_AUTOMATION_PUBLIC_BASE_URL.replace(/\/$/, '')}/api/v1/public/unsubscribe/${this.tokens.sign({ contactId: request.contactId, sendId: send.id })}`;
    const [order, deal] = await Promise.all([
      request.context?.orderId ? this.context.order(request.tenantId, request.context.orderId) : undefined,
      request.context?.dealId ? this.context.deal(request.tenantId, request.context.dealId) : undefined,
    ]);
    const rendered = await this.renderer.render(
      { id: template.id, version: template.version, subject: template.subject, html: template.html, text: template.text },
      {
        contact: {
          id: recipient.id,
          firstName: recipient.firstName,
          lastName: recipient.lastName,
          email: recipient.email,
          tags: recipient.tags,
          customFields: recipient.customFields,
        },
        company: recipient.company,
        order,
        deal,
        sender: { name: sender.name, address: sender.address },
        unsubscribe_url: marketing ? unsubscribeUrl : undefined,
      },
    );
    const tracking = marketing ? this.linkTracking() : undefined;
    const html = tracking
      ? tracking.instrument(rendered.html, { tenantId: request.tenantId, contactId: request.contactId, sendId: send.id, source: request.source })
      : rendered.html;
    await this.mailer.send({
      from: { name: sender.name, address: sender.address },
      ...(sender.replyTo && { replyTo: sender.replyTo }),
      to: recipient.email as string,
      subject: rendered.subject,
      html,
      text: rendered.text,
      messageId: send.message_id,
      ...(marketing && {
        list: { unsubscribe: { url: unsubscribeUrl, comment: 'Unsubscribe' } },
        headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      }),
    });
  }

  /** The campaigns' link tracking, when that module is part of the app (looked up once). */
  private linkTracking(): EmailLinkTracking | undefined {
    if (this.tracking === undefined) {
      try {
        this.tracking = this.moduleRef.get(EmailLinkTracking, { strict: false });
      } catch {
        this.tracking = null;
      }
    }
    return this.tracking ?? undefined;
  }

  private async inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    });
    await Promise.all(workers);
  }
}
