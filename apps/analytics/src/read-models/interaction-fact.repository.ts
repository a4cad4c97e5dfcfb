import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { Database } from '../infrastructure/database/database';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import { InteractionFact, recordInteractionFacts } from './interaction-fact.table';

export type { InteractionFact } from './interaction-fact.table';

/** Reads and writes interaction_fact (with the daily counts of interaction_daily). */
@Injectable()
export class InteractionFactRepository {
  constructor(
    private readonly db: Database,
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
  ) {}

  private get prisma() {
    return this.txHost.tx;
  }

  /**
   * Records a logged interaction and counts it on its UTC day, in one statement: under the
   * contact it was merged into if it was merged away, once however often it arrives. False when
   * it was already recorded (nothing counted). `fact.contactId` is the interaction's own contact.
   */
  async record(tenantId: string, fact: InteractionFact): Promise<boolean> {
    const row = await recordInteractionFacts(this.db, tenantId, [fact], true).executeTakeFirst();
    return (row?.recorded ?? 0) > 0;
  }

  /**
   * Records several interactions with one statement and counts each recorded one on its UTC
   * day: what `record` does each, with `contactId` already the contact it counts under (the
   * caller resolved merges). Returns how many were recorded now.
   */
  async recordMany(tenantId: string, facts: InteractionFact[]): Promise<number> {
    if (facts.length === 0) return 0;
    const row = await recordInteractionFacts(this.db, tenantId, facts, false).executeTakeFirst();
    return row?.recorded ?? 0;
  }

  /** A merge: the merged contact's interactions now belong to the survivor. */
  async moveToContact(tenantId: string, from: string, to: string): Promise<void> {
    await this.prisma.interactionFact.updateMany({ where: { tenantId, contactId: from }, data: { contactId: to } });
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.prisma.interactionFact.deleteMany({ where: { tenantId } });
  }

  all(tenantId: string) {
    return this.prisma.interactionFact.findMany({ where: { tenantId }, orderBy: { interactionId: 'asc' } });
  }
}
