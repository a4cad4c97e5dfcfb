import { Injectable } from '@nestjs/common';
import { EmailTemplate, emailTemplateUpdated, RpcRequest, updateEmailTemplate } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { changedMeanwhile, checkVersion, templateNotFound, validationFailed } from '../email-errors';
import { toEmailTemplate } from '../templates/email-template.mapper';
import { EmailTemplateRepository } from '../templates/email-template.repository';
import { TemplateRenderer } from '../templates/template-renderer';

/** Patch semantics (text: null derives it from the HTML again); a new version, so sends already rendered keep theirs. */
@Injectable()
export class UpdateEmailTemplateService {
  constructor(
    private readonly repository: EmailTemplateRepository,
    private readonly renderer: TemplateRenderer,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateEmailTemplate>): Promise<EmailTemplate> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw templateNotFound(id);
    checkVersion(expectedVersion, row.version);
    const problems = this.renderer.problems(patch, 'patch.');
    if (problems.length) throw validationFailed(problems);
    const updated = await this.repository.update(tenantId, id, row.version, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.purpose !== undefined && { purpose: patch.purpose }),
      ...(patch.subject !== undefined && { subject: patch.subject }),
      ...(patch.html !== undefined && { html: patch.html }),
      ...(patch.text !== undefined && { text: patch.text }),
    });
    if (!updated) throw changedMeanwhile();
    const template = toEmailTemplate(updated);
    await this.events.publish(emailTemplateUpdated, { template }, { tenantId, subject: id, entityVersion: template.version });
    return template;
  }
}
