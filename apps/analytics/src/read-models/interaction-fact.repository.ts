import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import { countInteractionSql, isoDay } from './interaction-daily.repository';

export interface InteractionFact {
  interactionId: string;
  contactId: string;
  channel: string;
  occurredAt: Date;
}

/** The only reader and writer of interaction_fact. */
@Injectable()
export class InteractionFactRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * Records a logged interaction and counts it on its UTC day, in one statement: under the
   * contact it was merged into if it was merged away, once however often it arrives. False when
   * it was already recorded (nothing counted). `fact.contactId` is the interaction's own contact.
   */
  async record(tenantId: string, fact: InteractionFact, day: Date): Promise<boolean> {
    const rows = await this.db.$queryRawUnsafe<{ recorded: boolean }[]>(
      `WITH fact AS (
          INSERT INTO interaction_fact (tenant_id, interaction_id, contact_id, channel, occurred_at)
          SELECT $1, $2::uuid,
            coalesce((SELECT v.merged_into_id FROM contact_view v WHERE v.tenant_id = $1 AND v.contact_id = $3::uuid), $3::uuid),
            $4, $5::timestamptz
          ON CONFLICT DO NOTHING
          RETURNING tenant_id, channel
        ), counted AS (
          ${countInteractionSql(`SELECT tenant_id, $6::date AS day, channel FROM fact`)}
        )
        SELECT count(*) > 0 AS recorded FROM fact`,
      tenantId,
      fact.interactionId,
      fact.contactId,
      fact.channel,
      fact.occurredAt,
      isoDay(day),
    );
    return rows[0]?.recorded ?? false;
  }

  /** A merge: the merged contact's interactions now belong to the survivor. */
  async moveToContact(tenantId: string, from: string, to: string): Promise<void> {
    await this.db.$executeRawUnsafe(
      `UPDATE interaction_fact SET contact_id = $3::uuid WHERE tenant_id = $1 AND contact_id = $2::uuid`,
      tenantId,
      from,
      to,
    );
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.interactionFact.deleteMany({ where: { tenantId } });
  }

  all(tenantId: string) {
    return this.db.interactionFact.findMany({ where: { tenantId }, orderBy: { interactionId: 'asc' } });
  }
}
