import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { LifecycleStage } from '@crm/contracts';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { ContactState } from '../projection/contact-state';

/** The only reader and writer of contact_view. */
@Injectable()
export class ContactViewRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  async find(tenantId: string, contactId: string): Promise<ContactState | null> {
    const row = await this.db.contactView.findUnique({ where: { tenantId_contactId: { tenantId, contactId } } });
    if (!row) return null;
    const { tenantId: _tenant, ...state } = row;
    return { ...state, lifecycleStage: state.lifecycleStage as LifecycleStage | null };
  }

  async save(tenantId: string, state: ContactState): Promise<void> {
    await this.db.contactView.upsert({
      where: { tenantId_contactId: { tenantId, contactId: state.contactId } },
      create: { tenantId, ...state },
      update: state,
    });
  }

  /** Contacts merged into this one (merges are flattened: each points at its final survivor). */
  async mergedInto(tenantId: string, contactId: string): Promise<string[]> {
    const rows = await this.db.contactView.findMany({ where: { tenantId, mergedIntoId: contactId }, select: { contactId: true } });
    return rows.map((r) => r.contactId);
  }

  async repointMerged(tenantId: string, from: string, to: string): Promise<void> {
    await this.db.contactView.updateMany({ where: { tenantId, mergedIntoId: from }, data: { mergedIntoId: to } });
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.contactView.deleteMany({ where: { tenantId } });
  }

  /** Every row of the tenant, in a stable order (rebuild checks, tests). */
  all(tenantId: string) {
    return this.db.contactView.findMany({ where: { tenantId }, orderBy: { contactId: 'asc' } });
  }
}
