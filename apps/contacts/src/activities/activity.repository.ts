import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { ContactActivityKind } from '@crm/contracts';
import { Database } from '../infrastructure/database/database';

/** An order or deal as the contact's timeline keeps it (the latest version its events told). */
export interface ActivityWrite {
  id: string;
  contactId: string | null;
  kind: ContactActivityKind;
  title: string | null;
  status: string;
  amountMinor: number;
  currency: string;
  counts: boolean;
  occurredAt: Date;
  version: number;
  updatedAt: Date;
}

export interface ActivityRow extends Omit<ActivityWrite, 'contactId'> {
  contactId: string;
}

/** Where an event's contact stands here: the survivor it was merged into, erased, or unknown. */
export interface ContactStanding {
  id: string;
  erased: boolean;
}

export interface ActivityPageQuery {
  contactId: string;
  kind?: ContactActivityKind;
  after?: { occurredAt: Date; id: string };
  limit: number;
}

const PROJECTION = [
  'id',
  'contact_id as contactId',
  'kind',
  'title',
  'status',
  'amount_minor as amountMinor',
  'currency',
  'counts',
  'occurred_at as occurredAt',
  'version',
  'updated_at as updatedAt',
] as const;

/** Merges are followed at most this deep (a survivor merged again, and so on). */
const MAX_MERGE_HOPS = 10;

/**
 * contact_activity: one row per order or deal, written only by a newer version of it, so a
 * redelivered or late event changes nothing, and lifetime value (summed from the rows) moves
 * exactly once per status change.
 */
@Injectable()
export class ActivityRepository {
  constructor(private readonly db: Database) {}

  /**
   * The contact an event names, followed through merges to the survivor, share-locked until the
   * transaction ends (a concurrent merge or erasure waits for this entry, or this for them).
   * null when the tenant has no such contact (kept under the id it names).
   */
  async standing(tenantId: string, contactId: string): Promise<ContactStanding | null> {
    let id = contactId;
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
      const row = await this.db
        .selectFrom('contact')
        .select(['id', 'merged_into_id as mergedIntoId', 'erased_at as erasedAt'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .forShare()
        .executeTakeFirst();
      if (!row) return null;
      if (row.erasedAt) return { id: row.id, erased: true };
      if (!row.mergedIntoId) return { id: row.id, erased: false };
      id = row.mergedIntoId;
    }
    return { id, erased: false };
  }

  /**
   * Files the entry under the contact it names, followed through merges to the survivor; an
   * erased contact gets nothing back (false). Otherwise as upsertNewer.
   */
  async recordUnder(tenantId: string, contactId: string | null, entry: Omit<ActivityWrite, 'contactId'>, options: { keepContact?: boolean } = {}): Promise<boolean> {
    const standing = contactId ? await this.standing(tenantId, contactId) : null;
    if (standing?.erased) return false;
    return this.upsertNewer(tenantId, { ...entry, contactId: standing?.id ?? contactId }, options);
  }

  /**
   * Inserts the entry or replaces an older version of it; returns whether anything changed.
   * `keepContact`: a null contact keeps the one the entry has (a ticket's sender identified earlier).
   */
  async upsertNewer(tenantId: string, a: ActivityWrite, { keepContact = false } = {}): Promise<boolean> {
    const result = await this.db
      .insertInto('contact_activity')
      .values({
        id: a.id,
        tenant_id: tenantId,
        contact_id: a.contactId,
        kind: a.kind,
        title: a.title,
        status: a.status,
        amount_minor: String(a.amountMinor),
        currency: a.currency,
        counts: a.counts,
        occurred_at: a.occurredAt,
        version: a.version,
        updated_at: a.updatedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'id'])
          .doUpdateSet((eb) => ({
            contact_id: keepContact ? sql<string | null>`coalesce(excluded.contact_id, contact_activity.contact_id)` : eb.ref('excluded.contact_id'),
            title: eb.ref('excluded.title'),
            status: eb.ref('excluded.status'),
            amount_minor: eb.ref('excluded.amount_minor'),
            currency: eb.ref('excluded.currency'),
            counts: eb.ref('excluded.counts'),
            occurred_at: eb.ref('excluded.occurred_at'),
            version: eb.ref('excluded.version'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where('contact_activity.version', '<', (eb) => eb.ref('excluded.version')),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** One page, newest first (limit + 1 rows: the extra one says there is a next page). */
  async page(tenantId: string, { contactId, kind, after, limit }: ActivityPageQuery): Promise<ActivityRow[]> {
    const rows = await this.db
      .selectFrom('contact_activity')
      .select(PROJECTION)
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .$if(kind !== undefined, (q) => q.where('kind', '=', kind as string))
      .$if(after !== undefined, (q) =>
        q.where((eb) => {
          const { occurredAt, id } = after as { occurredAt: Date; id: string };
          return eb.or([eb('occurred_at', '<', occurredAt), eb.and([eb('occurred_at', '=', occurredAt), eb('id', '>', id)])]);
        }),
      )
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'asc')
      .limit(limit + 1)
      .execute();
    return rows.map((r) => ({ ...r, contactId: r.contactId as string, kind: r.kind as ContactActivityKind, amountMinor: Number(r.amountMinor) }));
  }

  /** Hands one contact's orders and deals to another (merge). */
  async moveAll(tenantId: string, fromContactId: string, toContactId: string): Promise<void> {
    await this.db
      .updateTable('contact_activity')
      .set({ contact_id: toContactId })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', fromContactId)
      .execute();
  }

  /**
   * Detaches a contact's orders and deals (erasure): the rows stay, without the contact and the
   * deal titles, so a late event of the same order or deal still finds its version and changes nothing.
   */
  async detachAll(tenantId: string, contactId: string): Promise<void> {
    await this.db
      .updateTable('contact_activity')
      .set({ contact_id: null, title: null })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .execute();
  }
}
