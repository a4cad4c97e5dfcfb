import { Injectable } from '@nestjs/common';
import { deleteEmailTemplate, emailTemplateDeleted, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { changedMeanwhile, checkVersion, templateNotFound } from '../email-errors';
import { EmailTemplateRepository } from '../templates/email-template.repository';

/** Soft delete: the template answers 404 from then on (sends already logged keep its id). */
@Injectable()
export class DeleteEmailTemplateService {
  constructor(
    private readonly repository: EmailTemplateRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteEmailTemplate>): Promise<{ id: string }> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw templateNotFound(id);
    checkVersion(expectedVersion, row.version);
    const deletedAt = new Date();
    const deleted = await this.repository.update(tenantId, id, row.version, { deleted_at: deletedAt });
    if (!deleted) throw changedMeanwhile();
    await this.events.publish(
      emailTemplateDeleted,
      { templateId: id, deletedAt: deletedAt.toISOString() },
      { tenantId, subject: id, entityVersion: deleted.version },
    );
    return { id };
  }
}
