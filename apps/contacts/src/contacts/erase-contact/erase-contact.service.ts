import { Injectable } from '@nestjs/common';
import { contactErased, eraseContact, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { DataSubjectRequestRepository } from '../../data-subject-requests/data-subject-request.repository';
import { ActivityRepository } from '../../activities/activity.repository';
import { ExternalRecordsRepository } from '../../external-records/external-records.repository';
import { InteractionRepository } from '../../interactions/interaction.repository';
import { notFound } from '../../shared/errors';
import { ContactErasureRepository } from './contact-erasure.repository';

/**
 * Irreversible erasure (GDPR art. 17), in one transaction: the contact and every contact merged
 * into it (transitively: the same person) become tombstones, their timelines are deleted, every
 * outbox row about them or their interactions is deleted (sent copies and unsent events alike),
 * and one `contact.erased` per erased record tells the other services to erase their copies
 * (each with that record's id as `contactId` and subject). Works on whatever the service still
 * holds: a soft-deleted contact too. Another tenant's or an erased one: NOT_FOUND. The request
 * is recorded (who, when, which contact) with the erasure.
 */
@Injectable()
export class EraseContactService {
  constructor(
    private readonly erasure: ContactErasureRepository,
    private readonly interactions: InteractionRepository,
    private readonly activities: ActivityRepository,
    private readonly externalRecords: ExternalRecordsRepository,
    private readonly events: EventPublisher,
    private readonly requests: DataSubjectRequestRepository,
  ) {}

  @Transactional()
  async erase(tenantId: string, requestedBy: string, { id }: RpcRequest<typeof eraseContact>): Promise<RpcResponse<typeof eraseContact>> {
    const erasedAt = new Date();
    const erased = await this.eraseWithMerged(tenantId, id, erasedAt);
    if (erased.length === 0) throw notFound('contact', id);
    await this.requests.record(tenantId, 'erase', id, requestedBy, erasedAt);
    return { id, erasedAt: erasedAt.toISOString() };
  }

  /**
   * Erases the contact and all merged into it; returns the erased ids (none when there is no such
   * unerased contact). Runs in the caller's transaction: erasure and purge share it.
   */
  async eraseWithMerged(tenantId: string, id: string, erasedAt: Date): Promise<string[]> {
    // The contact first: its row lock keeps new interactions and merges out while the rest goes.
    const version = await this.erasure.tombstone(tenantId, id, erasedAt);
    if (version === null) return [];
    const versions = new Map([[id, version]]);
    for (const mergedId of await this.erasure.mergedInto(tenantId, id)) {
      const mergedVersion = await this.erasure.tombstone(tenantId, mergedId, erasedAt);
      if (mergedVersion !== null) versions.set(mergedId, mergedVersion);
    }
    const ids = [...versions.keys()];
    const interactionIds: string[] = [];
    for (const contactId of ids) interactionIds.push(...(await this.interactions.deleteAll(tenantId, contactId)));
    for (const contactId of ids) await this.activities.detachAll(tenantId, contactId);
    // No outside system's id leads back to them (an upsert of one makes a new contact).
    await this.externalRecords.deleteRefs(tenantId, 'contact', ids);
    await this.erasure.scrubEvents(tenantId, [...ids, ...interactionIds]);
    await this.erasure.scrubStoredReplies(tenantId, ids);
    for (const [contactId, entityVersion] of versions) {
      await this.events.publish(contactErased, { contactId, erasedAt: erasedAt.toISOString() }, { tenantId, subject: contactId, entityVersion });
    }
    return ids;
  }
}
