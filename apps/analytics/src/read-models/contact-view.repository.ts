import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { arrayOf } from '@crm/service-kit';
import type { LifecycleStage } from '@crm/contracts';
import { Database } from '../infrastructure/database/database';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { ContactState } from '../projection/contact-state';
import { contactState, upsertContactViews } from './contact-view.table';

/** Change of the tenant's active contacts per stage. */
export type StageDelta = Partial<Record<LifecycleStage, number>>;

/** Reads and writes contact_view for the projection (the event log's append reads a row too, and the interaction facts follow merges in it). */
@Injectable()
export class ContactViewRepository {
  constructor(
    private readonly db: Database,
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
  ) {}

  private get prisma() {
    return this.txHost.tx;
  }

  async find(tenantId: string, contactId: string): Promise<ContactState | null> {
    const row = await this.db
      .selectFrom('contact_view')
      .select(contactState)
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Writes the contact's state and adds `delta` (what its counted stage change did) to the tenant's counters, in one statement. */
  async save(tenantId: string, state: ContactState, delta: StageDelta = {}): Promise<void> {
    await upsertContactViews(this.db, tenantId, [state], delta).execute();
  }

  /** The rows of these contacts that exist, by id. */
  async findMany(tenantId: string, contactIds: string[]): Promise<Map<string, ContactState>> {
    if (contactIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('contact_view')
      .select(contactState)
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', (eb) => eb.fn.any(arrayOf(contactIds, 'uuid')))
      .execute();
    return new Map(rows.map((row) => [row.contactId, row]));
  }

  /** Writes several contacts' states (distinct contacts) and adds `delta` to the tenant's counters, in one statement. */
  async saveMany(tenantId: string, states: ContactState[], delta: StageDelta = {}): Promise<void> {
    if (states.length === 0) return;
    await upsertContactViews(this.db, tenantId, states, delta).execute();
  }

  /** Contacts merged into this one (merges are flattened: each points at its final survivor). */
  async mergedInto(tenantId: string, contactId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('contact_view')
      .select('contact_id')
      .where('tenant_id', '=', tenantId)
      .where('merged_into_id', '=', contactId)
      .execute();
    return rows.map((r) => r.contact_id);
  }

  async repointMerged(tenantId: string, from: string, to: string): Promise<void> {
    await this.prisma.contactView.updateMany({ where: { tenantId, mergedIntoId: from }, data: { mergedIntoId: to } });
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.prisma.contactView.deleteMany({ where: { tenantId } });
  }

  /** Every row of the tenant, in a stable order (rebuild checks, tests). */
  all(tenantId: string) {
    return this.prisma.contactView.findMany({ where: { tenantId }, orderBy: { contactId: 'asc' } });
  }
}
