import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';

export interface WebhookSubscriptionRow {
  id: string;
  tenantId: string;
  clientId: string;
  url: string;
  eventTypes: string[];
  secret: string;
  status: 'active' | 'disabled';
  disabledReason: string | null;
  disabledAt: Date | null;
  failedInARow: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = [
  'id',
  'tenant_id',
  'client_id',
  'url',
  'event_types',
  'secret',
  'status',
  'disabled_reason',
  'disabled_at',
  'failed_in_a_row',
  'version',
  'created_at',
  'updated_at',
] as const;

/** Webhook subscriptions (soft-deleted: their delivery log stays readable to support). */
@Injectable()
export class WebhookSubscriptionRepository {
  constructor(private readonly db: Database) {}

  async create(row: { id: string; tenantId: string; clientId: string; url: string; eventTypes: string[]; secret: string }): Promise<WebhookSubscriptionRow> {
    const created = await this.db
      .insertInto('webhook_subscription')
      .values({ id: row.id, tenant_id: row.tenantId, client_id: row.clientId, url: row.url, event_types: row.eventTypes, secret: row.secret })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toRow(created);
  }

  async list(tenantId: string): Promise<WebhookSubscriptionRow[]> {
    const rows = await this.db
      .selectFrom('webhook_subscription')
      .select(COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRow);
  }

  async find(tenantId: string, id: string): Promise<WebhookSubscriptionRow | undefined> {
    const row = await this.db
      .selectFrom('webhook_subscription')
      .select(COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && toRow(row);
  }

  /** A change of url, types, secret or status; re-enabling clears the failure count. */
  async update(
    tenantId: string,
    id: string,
    patch: { url?: string; eventTypes?: string[]; secret?: string; status?: 'active' | 'disabled' },
  ): Promise<WebhookSubscriptionRow | undefined> {
    const row = await this.db
      .updateTable('webhook_subscription')
      .set({
        ...(patch.url !== undefined && { url: patch.url }),
        ...(patch.eventTypes !== undefined && { event_types: patch.eventTypes }),
        ...(patch.secret !== undefined && { secret: patch.secret }),
        ...(patch.status === 'active' && { status: 'active', disabled_reason: null, disabled_at: null, failed_in_a_row: 0 }),
        ...(patch.status === 'disabled' && { status: 'disabled', disabled_reason: 'disabled by the client', disabled_at: new Date() }),
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returning(COLUMNS)
      .executeTakeFirst();
    return row && toRow(row);
  }

  async softDelete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_subscription')
      .set({ deleted_at: new Date(), status: 'disabled', updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** A delivery succeeded: the failures in a row start again from zero. */
  async recordSuccess(id: string): Promise<void> {
    await this.db.updateTable('webhook_subscription').set({ failed_in_a_row: 0 }).where('id', '=', id).where('failed_in_a_row', '>', 0).execute();
  }

  /**
   * A delivery ran out of retries: counts it, and disables the subscription once `disableAfter`
   * are in a row. Call inside a transaction. Returns the subscription when this call disabled it
   * (once: one already disabled is not returned again).
   */
  async recordExhausted(id: string, disableAfter: number, reason: string): Promise<WebhookSubscriptionRow | undefined> {
    const current = await this.db.selectFrom('webhook_subscription').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) return undefined;
    const failedInARow = current.failed_in_a_row + 1;
    const disable = current.status === 'active' && failedInARow >= disableAfter;
    const row = await this.db
      .updateTable('webhook_subscription')
      .set({
        failed_in_a_row: failedInARow,
        ...(disable && { status: 'disabled', disabled_reason: reason, disabled_at: new Date(), updated_at: new Date(), version: sql`version + 1` }),
      })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return disable ? toRow(row) : undefined;
  }
}

function toRow(r: {
  id: string;
  tenant_id: string;
  client_id: string;
  url: string;
  event_types: string[];
  secret: string;
  status: string;
  disabled_reason: string | null;
  disabled_at: Date | null;
  failed_in_a_row: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}): WebhookSubscriptionRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    clientId: r.client_id,
    url: r.url,
    eventTypes: r.event_types,
    secret: r.secret,
    status: r.status === 'active' ? 'active' : 'disabled',
    disabledReason: r.disabled_reason,
    disabledAt: r.disabled_at,
    failedInARow: r.failed_in_a_row,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
