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

  /**
   * Records several interactions with one statement and counts each recorded one on its UTC
   * day: what `record` does each, with `contactId` already the contact it counts under (the
   * caller resolved merges). Returns how many were recorded now.
   */
  async recordMany(tenantId: string, facts: InteractionFact[]): Promise<number> {
    if (facts.length === 0) return 0;
    const rows = await this.db.$queryRawUnsafe<{ recorded: number }[]>(
      `WITH fact AS (
          INSERT INTO interaction_fact (tenant_id, interaction_id, contact_id, channel, occurred_at)
          SELECT $1, f.id::uuid, f.contact_id::uuid, f.channel, f.occurred_at::timestamptz
          FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS f(id, contact_id, channel, occurred_at)
          ON CONFLICT DO NOTHING
          RETURNING tenant_id, channel, (occurred_at AT TIME ZONE 'UTC')::date AS day
        ), counted AS (
          INSERT INTO interaction_daily (tenant_id, day, channel, count)
          SELECT tenant_id, day, channel, count(*) FROM fact GROUP BY tenant_id, day, channel
          ON CONFLICT (tenant_id, day, channel) DO UPDATE SET count = interaction_daily.count + EXCLUDED.count
        )
        SELECT count(*)::int AS recorded FROM fact`,
      tenantId,
      facts.map((f) => f.interactionId),
      facts.map((f) => f.contactId),
      facts.map((f) => f.channel),
      facts.map((f) => f.occurredAt.toISOString()),
    );
    return rows[0]?.recorded ?? 0;
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
