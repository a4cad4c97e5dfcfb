import { Injectable } from '@nestjs/common';
import type { contactMerged } from '@crm/contracts';
import { EventLogRepository } from '../event-log/event-log.repository';
import type { LoggedEvent } from '../event-log/logged-event';
import { withoutPersonalData } from '../event-log/personal-data';
import { CompanyViewRepository } from '../read-models/company-view.repository';
import { ContactViewRepository, StageDelta } from '../read-models/contact-view.repository';
import { InteractionFactRepository } from '../read-models/interaction-fact.repository';
import type { InteractionFact } from '../read-models/interaction-fact.table';
import { applyContactChange, ContactChange, ContactState, countedStage } from './contact-state';
import { LoggedEventOf, projectionOf, ProjectionSteps } from './projections';

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
 * makes a rebuild reproduce them. What each event does is its entry in PROJECTIONS; the steps
 * those are made of are here.
 */
@Injectable()
export class Projector implements ProjectionSteps {
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
    // Every contact event is about its entity: the row read along is the entity's.
    const known = event.contactId === event.entityId ? contactBefore : undefined;
    await projectionOf(event.type).project(this, event, known);
  }

  async changeContact(event: LoggedEvent, change: ContactChange, known?: ContactState | null): Promise<ContactState> {
    return this.changeContactRow(event.tenantId, event.entityId, change, known);
  }

  private async changeContactRow(tenantId: string, contactId: string, change: ContactChange, known?: ContactState | null): Promise<ContactState> {
    const before = known !== undefined ? known : await this.contacts.find(tenantId, contactId);
    const after = applyContactChange(before, contactId, change);
    await this.contacts.save(tenantId, after, stageDelta(before, after));
    return after;
  }

  /** The survivor takes the merged contact's state, its interactions and whatever was merged into it. */
  async merge(event: LoggedEventOf<typeof contactMerged>, survivorChange: ContactChange, survivorBefore?: ContactState | null): Promise<void> {
    const { tenantId, entityId: survivorId, occurredAt } = event;
    const mergedId = event.data.mergedId;
    const survivor = await this.changeContactRow(tenantId, survivorId, survivorChange, survivorBefore);
    // The survivor itself may since have been merged on (events arrive out of order): follow it.
    const target = survivor.mergedIntoId ?? survivorId;
    await this.changeContactRow(tenantId, mergedId, { kind: 'merged-away', into: target, at: occurredAt });
    await this.contacts.repointMerged(tenantId, mergedId, target);
    await this.interactions.moveToContact(tenantId, mergedId, target);
    const targetRow = target === survivorId ? survivor : await this.contacts.find(tenantId, target);
    // Merged into someone already erased: the same person, so erased too.
    if (targetRow?.erased) await this.eraseContact(tenantId, target, { kind: 'erased', at: targetRow.erasedAt });
  }

  async erase(event: LoggedEvent, change: Extract<ContactChange, { kind: 'erased' }>, known?: ContactState | null): Promise<void> {
    await this.eraseContact(event.tenantId, event.entityId, change, known);
  }

  /** Tombstone for the contact and every contact merged into it; their log rows lose their personal data. */
  private async eraseContact(
    tenantId: string,
    contactId: string,
    change: Extract<ContactChange, { kind: 'erased' }>,
    known?: ContactState | null,
  ): Promise<void> {
    await this.changeContactRow(tenantId, contactId, change, known);
    const merged = await this.contacts.mergedInto(tenantId, contactId);
    for (const id of merged) await this.changeContactRow(tenantId, id, { kind: 'erased', at: change.at });
    for (const row of await this.log.unscrubbedOf(tenantId, [contactId, ...merged])) {
      await this.log.replaceData(row.eventId, withoutPersonalData(projectionOf(row.type).contract, row.data));
    }
  }

  async applyCompanyVersion(event: LoggedEvent, deletedAt: Date | null): Promise<void> {
    await this.companies.applyVersion(event.tenantId, event.entityId, event.entityVersion, deletedAt);
  }

  /** The entity's earlier rows go under the event's contact; if that contact is erased already, they are scrubbed now. */
  async fileUnderContact(event: LoggedEvent): Promise<void> {
    if (!event.contactId) return;
    await this.log.fileUnderContact(event.tenantId, event.entityId, event.contactId);
    const contact = await this.contacts.find(event.tenantId, event.contactId);
    if (contact?.erased) await this.eraseContact(event.tenantId, event.contactId, { kind: 'erased', at: contact.erasedAt });
  }

  async recordInteraction(event: LoggedEvent, fact: InteractionFact): Promise<void> {
    await this.interactions.record(event.tenantId, fact);
  }
}
