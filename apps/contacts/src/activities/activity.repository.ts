import { Injectable } from '@nestjs/common';
import { type QueryCreator, type RawBuilder, sql, type SqlBool } from 'kysely';
import type { DB } from '../generated/kysely/database';
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

/** The contact named by upsertUnlessMovedOn's `named` was neither merged nor erased (or is not there). */
const NOT_MOVED_ON = sql<SqlBool>`NOT EXISTS (SELECT FROM named WHERE merged_into_id IS NOT NULL OR erased_at IS NOT NULL)`;

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
   * erased contact gets nothing back (false). Otherwise as upsertNewer. A contact never merged
   * (nearly all) is checked and written in one statement; a merged one takes the hops.
   */
  async recordUnder(tenantId: string, contactId: string | null, entry: Omit<ActivityWrite, 'contactId'>, options: { keepContact?: boolean } = {}): Promise<boolean> {
    if (!contactId) return this.upsertNewer(tenantId, { ...entry, contactId }, options);
    const direct = await this.upsertUnlessMovedOn(tenantId, { ...entry, contactId }, options);
    if (direct !== 'merged') return direct;
    const standing = await this.standing(tenantId, contactId);
    if (standing?.erased) return false;
    return this.upsertNewer(tenantId, { ...entry, contactId: standing?.id ?? contactId }, options);
  }

  /**
   * Inserts the entry or replaces an older version of it; returns whether anything changed.
   * `keepContact`: a null contact keeps the one the entry has (a ticket's sender identified earlier).
   */
  async upsertNewer(tenantId: string, a: ActivityWrite, { keepContact = false } = {}): Promise<boolean> {
    const result = await this.upsert(this.db, tenantId, a, keepContact).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * upsertNewer under the contact the entry names, share-locked as `standing` does, unless it was
   * erased (false) or merged into another ('merged': the caller follows the merge).
   */
  private async upsertUnlessMovedOn(tenantId: string, a: ActivityWrite & { contactId: string }, { keepContact = false } = {}): Promise<boolean | 'merged'> {
    const row = await this.db
      .with('named', (q) =>
        q.selectFrom('contact').select(['merged_into_id', 'erased_at']).where('tenant_id', '=', tenantId).where('id', '=', a.contactId).forShare(),
      )
      .with('written', (q) =>
        // The WITH's own tables are not in DB's type: the helper sees `q` as the database's.
        this.upsert(q as unknown as QueryCreator<DB>, tenantId, a, keepContact, NOT_MOVED_ON).returning('id'),
      )
      .selectNoFrom((eb) => [
        eb.exists(eb.selectFrom('named').select('merged_into_id').where('merged_into_id', 'is not', null).where('erased_at', 'is', null)).as('merged'),
        eb.exists(eb.selectFrom('written').select('id')).as('written'),
      ])
      .executeTakeFirstOrThrow();
    return row.merged ? 'merged' : Boolean(row.written);
  }

  /** The upsert of upsertNewer, on the database or inside a WITH, written only where `onlyIf` holds. */
  private upsert(q: QueryCreator<DB>, tenantId: string, a: ActivityWrite, keepContact: boolean, onlyIf?: RawBuilder<SqlBool>) {
    const values = q.selectNoFrom([
      sql.val(a.id).as('id'),
      sql.val(tenantId).as('tenant_id'),
      sql.val(a.contactId).as('contact_id'),
      sql.val(a.kind).as('kind'),
      sql.val(a.title).as('title'),
      sql.val(a.status).as('status'),
      sql.val(String(a.amountMinor)).as('amount_minor'),
      sql.val(a.currency).as('currency'),
      sql.val(a.counts).as('counts'),
      sql.val(a.occurredAt).as('occurred_at'),
      sql.val(a.version).as('version'),
      sql.val(a.updatedAt).as('updated_at'),
    ]);
    return q
      .insertInto('contact_activity')
      .columns(['id', 'tenant_id', 'contact_id', 'kind', 'title', 'status', 'amount_minor', 'currency', 'counts', 'occurred_at', 'version', 'updated_at'])
      // INSERT ... SELECT: the parameters take the columns' types, as in VALUES.
      .expression(onlyIf ? values.where(onlyIf) : values)
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
      );
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
