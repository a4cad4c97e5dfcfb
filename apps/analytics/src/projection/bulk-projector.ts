import { Injectable } from '@nestjs/common';
import { EventLogRepository } from '../event-log/event-log.repository';
import type { LoggedEvent } from '../event-log/logged-event';
import { scrubbed } from '../event-log/personal-data';
import { ContactViewRepository, StageDelta } from '../read-models/contact-view.repository';
import { InteractionFactRepository } from '../read-models/interaction-fact.repository';
import type { InteractionFact } from '../read-models/interaction-fact.table';
import { applyContactChange, ContactState } from './contact-state';
import { Projector, stageDelta } from './projector';
import { projectionOf } from './projections';

const key = (id: string) => id.toLowerCase();

/**
 * Logs and projects a run of events (in arrival order) with a few statements for the whole run
 * instead of a few per event: one log insert, one read of the contacts concerned, the contact
 * changes worked out in memory one event after the other (as the Projector does them), one
 * write of the changed contacts with the counters, one insert of the interactions with their
 * daily counts. The outcome is the one the Projector gives event by event; each statement
 * through Prisma costs ~0.35 ms of CPU, which capped the intake at a few hundred events a second.
 */
@Injectable()
export class BulkProjector {
  constructor(
    private readonly log: EventLogRepository,
    private readonly contacts: ContactViewRepository,
    private readonly interactions: InteractionFactRepository,
    private readonly projector: Projector,
  ) {}

  /** Events that change one contact, one interaction or one company: a run of them can be logged and projected together. */
  canBulk(event: LoggedEvent): boolean {
    return !projectionOf(event.type).endsRun;
  }

  /** The run's tenants must be locked by the caller (TenantLock). */
  async project(run: LoggedEvent[]): Promise<void> {
    if (run.length === 0) return;
    const unique = [...new Map(run.map((e) => [key(e.eventId), e])).values()];
    const logged = await this.log.appendMany(unique.map((event) => ({ event, withoutPersonalData: scrubbed(event).data })));
    // Already logged: redeliveries older than the inbox's memory. Their effect is there.
    const fresh = unique.flatMap((e) => logged.get(e.eventId) ?? []);
    for (const tenantId of new Set(fresh.map((e) => e.tenantId))) {
      await this.projectTenant(
        tenantId,
        fresh.filter((e) => e.tenantId === tenantId),
      );
    }
  }

  private async projectTenant(tenantId: string, events: LoggedEvent[]): Promise<void> {
    const concerned = new Set<string>();
    for (const event of events) {
      const projection = projectionOf(event.type);
      if (projection.contactChange) concerned.add(key(event.entityId));
      else if (projection.interaction) concerned.add(key(projection.interaction(event).contactId));
    }
    const found = await this.contacts.findMany(tenantId, [...concerned]);
    const before = new Map([...found].map(([id, state]) => [key(id), state]));
    const now = new Map(before);
    const facts: InteractionFact[] = [];
    for (const event of events) {
      const projection = projectionOf(event.type);
      const change = projection.contactChange?.(event);
      const fact = projection.interaction?.(event);
      if (change) {
        now.set(key(event.entityId), applyContactChange(now.get(key(event.entityId)) ?? null, event.entityId, change));
      } else if (fact) {
        // Counted under the contact it was merged into, as that contact stands at this event.
        facts.push({ ...fact, contactId: now.get(key(fact.contactId))?.mergedIntoId ?? fact.contactId });
      } else {
        await this.projector.apply(event); // a company: its own statement, rare
      }
    }
    const changed: ContactState[] = [];
    const delta: StageDelta = {};
    for (const [id, state] of now) {
      if (state === before.get(id)) continue;
      changed.push(state);
      for (const [stage, n] of Object.entries(stageDelta(before.get(id) ?? null, state)) as [keyof StageDelta, number][]) {
        delta[stage] = (delta[stage] ?? 0) + n;
      }
    }
    await this.contacts.saveMany(tenantId, changed, delta);
    await this.interactions.recordMany(tenantId, facts);
  }
}
