import { Injectable } from '@nestjs/common';
import {
  companyCreated,
  companyDeleted,
  companyRestored,
  companyUpdated,
  contactCreated,
  contactDeleted,
  contactErased,
  contactMerged,
  contactRestored,
  contactUpdated,
  interactionLogged,
} from '@crm/contracts';
import { EventLogRepository } from '../event-log/event-log.repository';
import type { LoggedEvent } from '../event-log/logged-event';
import { withoutPersonalData } from '../event-log/personal-data';
import { CompanyViewRepository } from '../read-models/company-view.repository';
import { ContactViewRepository, StageDelta } from '../read-models/contact-view.repository';
import { InteractionFactRepository } from '../read-models/interaction-fact.repository';
import { applyContactChange, ContactChange, ContactState, countedStage } from './contact-state';

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** UTC midnight of the day `at` falls on. */
export const utcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** What a contact's change of counted stage does to the tenant's counters. */
export function stageDelta(before: ContactState | null, after: ContactState): StageDelta {
  const [was, is] = [countedStage(before), countedStage(after)];
  const delta: StageDelta = {};
  if (was !== is) {
    if (was) delta[was] = -1;
    if (is) delta[is] = (delta[is] ?? 0) + 1;
  }
  return delta;
}

/**
 * Applies one logged event to the read models, inside the caller's transaction, with the
 * tenant's lock held. Used alike by the live handlers and by a rebuild's replay, which is what
 * makes a rebuild reproduce them.
 */
@Injectable()
export class Projector {
  constructor(
    private readonly contacts: ContactViewRepository,
    private readonly companies: CompanyViewRepository,
    private readonly interactions: InteractionFactRepository,
    private readonly log: EventLogRepository,
  ) {}

  /**
   * `contactBefore`: the row of the event's contact as it is now, when the caller has read it
   * already (the event log's append does, in its statement); undefined: read it here.
   */
  async apply(event: LoggedEvent, contactBefore?: ContactState | null): Promise<void> {
    const { type, tenantId, entityId, entityVersion: version } = event;
    const data = event.data as Data;
    // Every contact event is about its entity: the row read along is the entity's.
    const known = event.contactId === entityId ? contactBefore : undefined;
    switch (type) {
      case contactCreated.name:
      case contactUpdated.name:
      case contactRestored.name:
        await this.changeContact(tenantId, entityId, this.stateChange(event), known);
        return;
      case contactMerged.name:
        return this.merge(event, known);
      case contactDeleted.name:
        await this.changeContact(tenantId, entityId, { kind: 'deleted', version, at: new Date(data.deletedAt) }, known);
        return;
      case contactErased.name:
        return this.erase(tenantId, entityId, { kind: 'erased', version, at: new Date(data.erasedAt) }, known);
      case companyCreated.name:
      case companyUpdated.name:
      case companyRestored.name:
        return this.companies.applyVersion(tenantId, entityId, version, null);
      case companyDeleted.name:
        return this.companies.applyVersion(tenantId, entityId, version, new Date(data.deletedAt));
      case interactionLogged.name:
        return this.logInteraction(tenantId, data.interaction);
      default:
        throw new Error(`analytics cannot project ${type}`);
    }
  }

  /**
   * The change a created, updated, restored or deleted event makes to its contact (the kinds
   * that touch that one contact alone); undefined for any other event.
   */
  contactChangeOf(event: LoggedEvent): ContactChange | undefined {
    switch (event.type) {
      case contactCreated.name:
      case contactUpdated.name:
      case contactRestored.name:
        return this.stateChange(event);
      case contactDeleted.name:
        return { kind: 'deleted', version: event.entityVersion, at: new Date((event.data as Data).deletedAt) };
      default:
        return undefined;
    }
  }

  /** A scrubbed state event only says the contact existed at that version: its erasure is logged too. */
  private stateChange(event: LoggedEvent): ContactChange {
    if (event.scrubbed) return { kind: 'erased', version: event.entityVersion, at: null };
    const contact = (event.data as Data).contact;
    return {
      kind: 'state',
      version: event.entityVersion,
      lifecycleStage: contact.lifecycleStage,
      companyId: contact.companyId ?? null,
      at: event.occurredAt,
    };
  }

  private async changeContact(tenantId: string, contactId: string, change: ContactChange, known?: ContactState | null): Promise<ContactState> {
    const before = known !== undefined ? known : await this.contacts.find(tenantId, contactId);
    const after = applyContactChange(before, contactId, change);
    await this.contacts.save(tenantId, after, stageDelta(before, after));
    return after;
  }

  /** The survivor takes the merged contact's state, its interactions and whatever was merged into it. */
  private async merge(event: LoggedEvent, survivorBefore?: ContactState | null): Promise<void> {
    const { tenantId, entityId: survivorId, occurredAt } = event;
    const mergedId = (event.data as Data).mergedId as string;
    const survivor = await this.changeContact(tenantId, survivorId, this.stateChange(event), survivorBefore);
    // The survivor itself may since have been merged on (events arrive out of order): follow it.
    const target = survivor.mergedIntoId ?? survivorId;
    await this.changeContact(tenantId, mergedId, { kind: 'merged-away', into: target, at: occurredAt });
    await this.contacts.repointMerged(tenantId, mergedId, target);
    await this.interactions.moveToContact(tenantId, mergedId, target);
    const targetRow = target === survivorId ? survivor : await this.contacts.find(tenantId, target);
    // Merged into someone already erased: the same person, so erased too.
    if (targetRow?.erased) await this.erase(tenantId, target, { kind: 'erased', at: targetRow.erasedAt });
  }

  /** Tombstone for the contact and every contact merged into it; their log rows lose their personal data. */
  private async erase(
    tenantId: string,
    contactId: string,
    change: Extract<ContactChange, { kind: 'erased' }>,
    known?: ContactState | null,
  ): Promise<void> {
    await this.changeContact(tenantId, contactId, change, known);
    const merged = await this.contacts.mergedInto(tenantId, contactId);
    for (const id of merged) await this.changeContact(tenantId, id, { kind: 'erased', at: change.at });
    for (const row of await this.log.unscrubbedOf(tenantId, [contactId, ...merged])) {
      await this.log.replaceData(row.eventId, withoutPersonalData(row.type, row.data as Data));
    }
  }

  private async logInteraction(tenantId: string, interaction: Data): Promise<void> {
    const occurredAt = new Date(interaction.occurredAt);
    await this.interactions.record(
      tenantId,
      { interactionId: interaction.id, contactId: interaction.contactId, channel: interaction.channel, occurredAt },
      utcDay(occurredAt),
    );
  }
}
