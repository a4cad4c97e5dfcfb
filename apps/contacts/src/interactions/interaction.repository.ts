import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { Prisma, type Interaction as InteractionRow } from '../generated/prisma/client';
import type { PrismaService } from '../infrastructure/database/prisma.service';

export type { InteractionRow };

export interface InteractionWrite {
  contactId: string;
  channel: string;
  direction: string | null;
  subject: string | null;
  body: string | null;
  occurredAt: Date;
  loggedBy: string;
}

export interface InteractionPageQuery {
  contactId: string;
  channel?: string;
  /** The previous page's last row: the page starts strictly after it. */
  after?: { occurredAt: Date; id: string };
  limit: number;
}

/**
 * Timelines, newest first: (occurred_at DESC, id ASC), the order one forward scan of the
 * (tenant_id, contact_id, occurred_at DESC, id) index gives.
 */
const NEWEST_FIRST = [{ occurredAt: 'desc' }, { id: 'asc' }] satisfies Prisma.InteractionOrderByWithRelationInput[];

/** Interactions; the only code that touches their table. */
@Injectable()
export class InteractionRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * Whether the contact is live, share-locking it until the transaction ends: a concurrent
   * erasure or merge (which update the row first) then waits for this entry, or this waits for
   * them and finds the contact gone, so no entry lands on an erased or merged-away contact.
   */
  async lockLiveContact(tenantId: string, contactId: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<unknown[]>`
      SELECT 1 FROM contact
      WHERE id = ${contactId}::uuid AND tenant_id = ${tenantId} AND deleted_at IS NULL AND erased_at IS NULL
      FOR SHARE`;
    return rows.length === 1;
  }

  create(tenantId: string, data: InteractionWrite): Promise<InteractionRow> {
    return this.db.interaction.create({ data: { tenantId, ...data } });
  }

  /** One page (limit + 1 rows: the extra one says there is a next page). */
  page(tenantId: string, { contactId, channel, after, limit }: InteractionPageQuery): Promise<InteractionRow[]> {
    return this.db.interaction.findMany({
      where: {
        tenantId,
        contactId,
        ...(channel !== undefined && { channel }),
        ...(after && {
          OR: [{ occurredAt: { lt: after.occurredAt } }, { occurredAt: after.occurredAt, id: { gt: after.id } }],
        }),
      },
      orderBy: NEWEST_FIRST,
      take: limit + 1,
    });
  }

  /** The whole timeline (personal-data export). */
  all(tenantId: string, contactId: string): Promise<InteractionRow[]> {
    return this.db.interaction.findMany({ where: { tenantId, contactId }, orderBy: NEWEST_FIRST });
  }

  /** Hands one contact's timeline to another (merge). */
  async moveAll(tenantId: string, fromContactId: string, toContactId: string): Promise<number> {
    const { count } = await this.db.interaction.updateMany({ where: { tenantId, contactId: fromContactId }, data: { contactId: toContactId } });
    return count;
  }

  /** Deletes a contact's whole timeline (erasure); returns the deleted interactions' ids. */
  async deleteAll(tenantId: string, contactId: string): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      DELETE FROM interaction WHERE tenant_id = ${tenantId} AND contact_id = ${contactId}::uuid RETURNING id::text AS id`;
    return rows.map((r) => r.id);
  }
}
