import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';

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

  /** False when the interaction is already recorded. */
  async add(tenantId: string, fact: InteractionFact): Promise<boolean> {
    const { count } = await this.db.interactionFact.createMany({ data: [{ tenantId, ...fact }], skipDuplicates: true });
    return count === 1;
  }

  /** A merge: the merged contact's interactions now belong to the survivor. */
  async moveToContact(tenantId: string, from: string, to: string): Promise<void> {
    await this.db.interactionFact.updateMany({ where: { tenantId, contactId: from }, data: { contactId: to } });
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.interactionFact.deleteMany({ where: { tenantId } });
  }

  all(tenantId: string) {
    return this.db.interactionFact.findMany({ where: { tenantId }, orderBy: { interactionId: 'asc' } });
  }
}
