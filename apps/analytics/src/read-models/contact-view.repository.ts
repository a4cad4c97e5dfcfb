import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { LifecycleStage } from '@crm/contracts';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { ContactState } from '../projection/contact-state';
import { addToCountersSql } from './tenant-counters.repository';

/** Change of the tenant's active contacts per stage. */
export type StageDelta = Partial<Record<LifecycleStage, number>>;

/** contact_view's columns as a ContactState (also read by the event log's append, in the same statement). */
export const STATE_COLUMNS = `contact_id::text AS "contactId", lifecycle_stage AS "lifecycleStage", company_id::text AS "companyId", version,
  deleted, deleted_at AS "deletedAt", changed_at AS "changedAt", merged_into_id::text AS "mergedIntoId", erased, erased_at AS "erasedAt"`;

const isoOrNull = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The only reader and writer of contact_view. */
@Injectable()
export class ContactViewRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  async find(tenantId: string, contactId: string): Promise<ContactState | null> {
    const rows = await this.db.$queryRawUnsafe<ContactState[]>(
      `SELECT ${STATE_COLUMNS} FROM contact_view WHERE tenant_id = $1 AND contact_id = $2::uuid`,
      tenantId,
      contactId,
    );
    return rows[0] ?? null;
  }

  /** Writes the contact's state and adds `delta` (what its counted stage change did) to the tenant's counters, in one statement. */
  async save(tenantId: string, state: ContactState, delta: StageDelta = {}): Promise<void> {
    await this.db.$executeRawUnsafe(
      `WITH counted AS (
          ${addToCountersSql(`SELECT $1::text AS tenant_id, $12::int AS lead, $13::int AS prospect, $14::int AS customer, $15::int AS churned, 0 AS companies`)}
        )
        INSERT INTO contact_view (tenant_id, contact_id, lifecycle_stage, company_id, version, deleted, deleted_at, changed_at, merged_into_id, erased, erased_at)
        VALUES ($1, $2::uuid, $3, $4::uuid, $5::int, $6::boolean, $7::timestamptz, $8::timestamptz, $9::uuid, $10::boolean, $11::timestamptz)
        ON CONFLICT (tenant_id, contact_id) DO UPDATE SET
          lifecycle_stage = EXCLUDED.lifecycle_stage, company_id = EXCLUDED.company_id, version = EXCLUDED.version,
          deleted = EXCLUDED.deleted, deleted_at = EXCLUDED.deleted_at, changed_at = EXCLUDED.changed_at,
          merged_into_id = EXCLUDED.merged_into_id, erased = EXCLUDED.erased, erased_at = EXCLUDED.erased_at`,
      tenantId,
      state.contactId,
      state.lifecycleStage,
      state.companyId,
      state.version,
      state.deleted,
      state.deletedAt,
      state.changedAt,
      state.mergedIntoId,
      state.erased,
      state.erasedAt,
      delta.lead ?? 0,
      delta.prospect ?? 0,
      delta.customer ?? 0,
      delta.churned ?? 0,
    );
  }

  /** The rows of these contacts that exist, by id. */
  async findMany(tenantId: string, contactIds: string[]): Promise<Map<string, ContactState>> {
    if (contactIds.length === 0) return new Map();
    const rows = await this.db.$queryRawUnsafe<ContactState[]>(
      `SELECT ${STATE_COLUMNS} FROM contact_view WHERE tenant_id = $1 AND contact_id = ANY($2::text[]::uuid[])`,
      tenantId,
      contactIds,
    );
    return new Map(rows.map((row) => [row.contactId, row]));
  }

  /** Writes several contacts' states (distinct contacts) and adds `delta` to the tenant's counters, in one statement. */
  async saveMany(tenantId: string, states: ContactState[], delta: StageDelta = {}): Promise<void> {
    if (states.length === 0) return;
    await this.db.$executeRawUnsafe(
      `WITH counted AS (
          ${addToCountersSql(`SELECT $1::text AS tenant_id, $2::int AS lead, $3::int AS prospect, $4::int AS customer, $5::int AS churned, 0 AS companies`)}
        )
        INSERT INTO contact_view (tenant_id, contact_id, lifecycle_stage, company_id, version, deleted, deleted_at, changed_at, merged_into_id, erased, erased_at)
        SELECT $1, s.contact_id::uuid, s.lifecycle_stage, s.company_id::uuid, s.version::int, s.deleted::boolean, s.deleted_at::timestamptz,
          s.changed_at::timestamptz, s.merged_into_id::uuid, s.erased::boolean, s.erased_at::timestamptz
        FROM unnest($6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
          AS s(contact_id, lifecycle_stage, company_id, version, deleted, deleted_at, changed_at, merged_into_id, erased, erased_at)
        ON CONFLICT (tenant_id, contact_id) DO UPDATE SET
          lifecycle_stage = EXCLUDED.lifecycle_stage, company_id = EXCLUDED.company_id, version = EXCLUDED.version,
          deleted = EXCLUDED.deleted, deleted_at = EXCLUDED.deleted_at, changed_at = EXCLUDED.changed_at,
          merged_into_id = EXCLUDED.merged_into_id, erased = EXCLUDED.erased, erased_at = EXCLUDED.erased_at`,
      tenantId,
      delta.lead ?? 0,
      delta.prospect ?? 0,
      delta.customer ?? 0,
      delta.churned ?? 0,
      states.map((s) => s.contactId),
      states.map((s) => s.lifecycleStage),
      states.map((s) => s.companyId),
      states.map((s) => String(s.version)),
      states.map((s) => String(s.deleted)),
      states.map((s) => isoOrNull(s.deletedAt)),
      states.map((s) => isoOrNull(s.changedAt)),
      states.map((s) => s.mergedIntoId),
      states.map((s) => String(s.erased)),
      states.map((s) => isoOrNull(s.erasedAt)),
    );
  }

  /** Contacts merged into this one (merges are flattened: each points at its final survivor). */
  async mergedInto(tenantId: string, contactId: string): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<{ contactId: string }[]>(
      `SELECT contact_id::text AS "contactId" FROM contact_view WHERE tenant_id = $1 AND merged_into_id = $2::uuid`,
      tenantId,
      contactId,
    );
    return rows.map((r) => r.contactId);
  }

  async repointMerged(tenantId: string, from: string, to: string): Promise<void> {
    await this.db.$executeRawUnsafe(
      `UPDATE contact_view SET merged_into_id = $3::uuid WHERE tenant_id = $1 AND merged_into_id = $2::uuid`,
      tenantId,
      from,
      to,
    );
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.contactView.deleteMany({ where: { tenantId } });
  }

  /** Every row of the tenant, in a stable order (rebuild checks, tests). */
  all(tenantId: string) {
    return this.db.contactView.findMany({ where: { tenantId }, orderBy: { contactId: 'asc' } });
  }
}
