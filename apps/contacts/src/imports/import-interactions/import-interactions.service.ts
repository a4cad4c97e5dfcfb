import { Injectable } from '@nestjs/common';
import { ContractIssue, importInteractions, interactionLogged, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { toInteraction } from '../../interactions/interaction.mapper';
import { textOrNull } from '../../shared/primary';
import { IMPORT_TRANSACTION, ImportAdapter, refuseIfAny } from '../import-batch';
import { ImportsRepository } from '../imports.repository';

/**
 * Past interactions in bulk (e.g. from a mail or phone system): each on a live contact of the
 * tenant, inserted together, one `interaction.logged` each (without the body, as a single log).
 */
@Injectable()
export class ImportInteractionsService {
  constructor(
    private readonly repository: ImportsRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async import(
    tenantId: string,
    actorUserId: string,
    { interactions }: RpcRequest<typeof importInteractions>,
  ): Promise<RpcResponse<typeof importInteractions>> {
    const live = await this.repository.lockLiveContacts(tenantId, [...new Set(interactions.map((i) => i.contactId))]);
    const issues: ContractIssue[] = [];
    interactions.forEach((item, i) => {
      if (!live.has(item.contactId)) issues.push({ path: `interactions.${i}.contactId`, message: 'no such contact' });
    });
    refuseIfAny(issues);
    const now = new Date();
    const rows = await this.repository.insertInteractions(
      tenantId,
      interactions.map((input) => ({
        contactId: input.contactId,
        channel: input.channel,
        direction: input.direction ?? null,
        subject: textOrNull(input.subject),
        body: input.body ?? null,
        occurredAt: input.occurredAt ? new Date(input.occurredAt) : now,
        loggedBy: input.loggedBy ?? actorUserId,
      })),
    );
    await this.events.publishMany(
      interactionLogged,
      rows.map((row) => {
        const { body: _body, ...withoutBody } = toInteraction(row);
        return { data: { interaction: withoutBody }, meta: { tenantId, subject: row.id } };
      }),
    );
    return { created: rows.length };
  }
}
