import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createEmailTemplate, EmailTemplate, emailTemplateCreated, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { validationFailed } from '../email-errors';
import { toEmailTemplate } from '../templates/email-template.mapper';
import { EmailTemplateRepository } from '../templates/email-template.repository';
import { TemplateRenderer } from '../templates/template-renderer';

/** A template that parses: a Liquid syntax error answers 400 naming the field. */
@Injectable()
export class CreateEmailTemplateService {
  constructor(
    private readonly repository: EmailTemplateRepository,
    private readonly renderer: TemplateRenderer,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, { template: input }: RpcRequest<typeof createEmailTemplate>): Promise<EmailTemplate> {
    const problems = this.renderer.problems(input, 'template.');
    if (problems.length) throw validationFailed(problems);
    const row = await this.repository.insert(tenantId, {
      id: randomUUID(),
      name: input.name,
      purpose: input.purpose,
      subject: input.subject,
      html: input.html,
      text: input.text ?? null,
    });
    const template = toEmailTemplate(row);
    await this.events.publish(emailTemplateCreated, { template }, { tenantId, subject: template.id, entityVersion: template.version });
    return template;
  }
}
