import { Injectable } from '@nestjs/common';
import { insertRecords } from '@crm/service-kit';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { INTERACTION_PROJECTION, INTERACTION_RECORD_COLUMNS, interactionRecord, InteractionRow, InteractionWrite } from './interaction.table';

export type { InteractionRow, InteractionWrite };

export interface InteractionPageQuery {
  contactId: string;
  channel?: string;
  /** The previous page's last row: the page starts strictly after it. */
  after?: { occurredAt: Date; id: string };
  limit: number;
}

/**
 * Timelines, newest first: (occurred_at DESC, id ASC), the order one forward scan of the
 * (tenant_id, contact_id, occurred_at DESC, id) index gives. Imports insert through the same
 * table module (ImportsRepository); erasure and merge go through this repository.
 */
@Injectable()
export class InteractionRepository {
  constructor(private readonly db: Database) {}

  /**
   * Whether the contact is live, share-locking it until the transaction ends: a concurrent
   * erasure or merge (which update the row first) then waits for this entry, or this waits for
   * them and finds the contact gone, so no entry lands on an erased or merged-away contact.
   */
  async lockLiveContact(tenantId: string, contactId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('contact')
      .select('id')
      .where('id', '=', contactId)
      .where('tenant_id', '=', tenantId)
      .where('deleted_at', 'is', null)
      .where('erased_at', 'is', null)
      .forShare()
      .executeTakeFirst();
    return row !== undefined;
  }

  async create(tenantId: string, data: InteractionWrite): Promise<InteractionRow> {
    return insertRecords<DB, 'interaction'>(this.db, 'interaction', INTERACTION_RECORD_COLUMNS, [interactionRecord(tenantId, data, new Date())])
      .returning(INTERACTION_PROJECTION)
      .executeTakeFirstOrThrow();
  }

  /** One page (limit + 1 rows: the extra one says there is a next page). */
  page(tenantId: string, { contactId, channel, after, limit }: InteractionPageQuery): Promise<InteractionRow[]> {
    return this.db
      .selectFrom('interaction')
      .select(INTERACTION_PROJECTION)
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .$if(channel !== undefined, (q) => q.where('channel', '=', channel as string))
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
  }

  /** The whole timeline (personal-data export). */
  all(tenantId: string, contactId: string): Promise<InteractionRow[]> {
    return this.db
      .selectFrom('interaction')
      .select(INTERACTION_PROJECTION)
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'asc')
      .execute();
  }

  /** Hands one contact's timeline to another (merge). */
  async moveAll(tenantId: string, fromContactId: string, toContactId: string): Promise<number> {
    const result = await this.db
      .updateTable('interaction')
      .set({ contact_id: toContactId })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', fromContactId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Deletes a contact's whole timeline (erasure); returns the deleted interactions' ids. */
  async deleteAll(tenantId: string, contactId: string): Promise<string[]> {
    const rows = await this.db.deleteFrom('interaction').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).returning('id').execute();
    return rows.map((r) => r.id);
  }
}
