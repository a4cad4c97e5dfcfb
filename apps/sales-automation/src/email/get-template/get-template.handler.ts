import { Controller } from '@nestjs/common';
import { getEmailTemplate, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { templateNotFound } from '../email-errors';
import { toEmailTemplate } from '../templates/email-template.mapper';
import { EmailTemplateRepository } from '../templates/email-template.repository';

@Controller()
export class GetEmailTemplateHandler {
  constructor(private readonly repository: EmailTemplateRepository) {}

  @OnRpc(getEmailTemplate, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getEmailTemplate>, { tenantId }: TenantCallContext) {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw templateNotFound(id);
    return toEmailTemplate(row);
  }
}
