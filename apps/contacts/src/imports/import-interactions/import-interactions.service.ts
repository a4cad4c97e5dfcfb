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
 * Each is logged by the caller; `loggedBy` names another author only when the caller is an admin
 * (historical data; the gateway has checked that it is a user of the tenant). Anyone else naming
 * someone other than themselves is refused, naming the item.
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
    caller: { userId: string; mayNameAuthor: boolean },
    { interactions }: RpcRequest<typeof importInteractions>,
  ): Promise<RpcResponse<typeof importInteractions>> {
    const actorUserId = caller.userId;
    const live = await this.repository.lockLiveContacts(tenantId, [...new Set(interactions.map((i) => i.contactId))]);
    const issues: ContractIssue[] = [];
    interactions.forEach((item, i) => {
      if (!live.has(item.contactId)) issues.push({ path: `interactions.${i}.contactId`, message: 'no such contact' });
      if (item.loggedBy !== undefined && item.loggedBy !== actorUserId && !caller.mayNameAuthor) {
        issues.push({ path: `interactions.${i}.loggedBy`, message: 'only an admin may import interactions logged by another user' });
      }
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
