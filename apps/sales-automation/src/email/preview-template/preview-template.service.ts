import { Injectable } from '@nestjs/common';
import { previewEmailTemplate, RpcRequest, RpcResponse } from '@crm/contracts';
import { AppConfig } from '../../app.config';
import { contactNotFound, templateNotFound } from '../email-errors';
import { EmailContextRepository } from '../sending/email-context.repository';
import { EmailTemplateRepository } from '../templates/email-template.repository';
import { TemplateRenderer } from '../templates/template-renderer';
import { EmailSenders } from '../senders/email-senders';

/** The template rendered for a contact as it would be sent (the unsubscribe link a placeholder), sending nothing. */
@Injectable()
export class PreviewEmailTemplateService {
  constructor(
    private readonly templates: EmailTemplateRepository,
    private readonly context: EmailContextRepository,
    private readonly renderer: TemplateRenderer,
    private readonly config: AppConfig,
    private readonly senders: EmailSenders,
  ) {}

  async preview(
    tenantId: string,
    { id, contactId, dealId, orderId }: RpcRequest<typeof previewEmailTemplate>,
  ): Promise<RpcResponse<typeof previewEmailTemplate>> {
    const template = await this.templates.findLive(tenantId, id);
    if (!template) throw templateNotFound(id);
    const contact = (await this.context.recipients(tenantId, [contactId])).get(contactId);
    if (!contact || contact.gone) throw contactNotFound(contactId);
    const [order, deal, sender] = await Promise.all([
      orderId ? this.context.order(tenantId, orderId) : undefined,
      dealId ? this.context.deal(tenantId, dealId) : undefined,
      this.senders.resolve(tenantId),
    ]);
    const { company, gone: _gone, ...person } = contact;
    return this.renderer.render(template, {
      contact: person,
      company,
      order,
      deal,
      sender: { name: sender.name, address: sender.address },
      unsubscribe_url:
        template.purpose === 'marketing' ? `${this.config.SALES_AUTOMATION_PUBLIC_BASE_URL.replace(/\/$/, '')}/api/v1/public/unsubscribe/preview` : undefined,
    });
  }
}
