import { Injectable } from '@nestjs/common';
import { type Selectable, sql } from 'kysely';
import type { TicketField as TicketFieldTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type TicketFieldRow = Selectable<TicketFieldTable>;

export interface TicketFieldWrite {
  id: string;
  key: string;
  label: string;
  type: string;
  options: string[];
  requiredToSolve: boolean;
}

/** The tenant's ticket fields, and what its tickets hold of them; tenant-scoped in every statement. */
@Injectable()
export class TicketFieldRepository {
  constructor(private readonly db: Database) {}

  /** undefined: the tenant has a field with this key. */
  insert(tenantId: string, field: TicketFieldWrite, at: Date): Promise<TicketFieldRow | undefined> {
    return this.db
      .insertInto('ticket_field')
      .values({
        id: field.id,
        tenant_id: tenantId,
        key: field.key,
        label: field.label,
        type: field.type,
        options: field.options,
        required_to_solve: field.requiredToSolve,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  list(tenantId: string): Promise<TicketFieldRow[]> {
    return this.db.selectFrom('ticket_field').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
  }

  /** Locked until the transaction ends: a change checks the tickets' values against it. */
  lock(tenantId: string, id: string): Promise<TicketFieldRow | undefined> {
    return this.db.selectFrom('ticket_field').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** The change at `version` (undefined: changed meanwhile). */
  update(tenantId: string, id: string, version: number, changes: Partial<Pick<TicketFieldWrite, 'label' | 'options' | 'requiredToSolve'>>, at: Date): Promise<TicketFieldRow | undefined> {
    return this.db
      .updateTable('ticket_field')
      .set({
        ...(changes.label !== undefined && { label: changes.label }),
        ...(changes.options !== undefined && { options: changes.options }),
        ...(changes.requiredToSolve !== undefined && { required_to_solve: changes.requiredToSolve }),
        version: version + 1,
        updated_at: at,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }

  /** The values among `values` some ticket of the tenant holds under `key`. */
  async valuesHeld(tenantId: string, key: string, values: string[]): Promise<string[]> {
    if (!values.length) return [];
    const rows = await this.db
      .selectFrom('ticket')
      .select(sql<string>`custom_fields ->> ${key}`.as('value'))
      .distinct()
      .where('tenant_id', '=', tenantId)
      .where(sql<string>`custom_fields ->> ${key}`, 'in', values)
      .execute();
    return rows.map((r) => r.value);
  }

  /** The field, and its values on the tenant's tickets. */
  async delete(tenantId: string, field: TicketFieldRow): Promise<void> {
    await this.db
      .updateTable('ticket')
      .set({ custom_fields: sql`custom_fields - ${field.key}::text` })
      .where('tenant_id', '=', tenantId)
      .where(sql<boolean>`custom_fields ? ${field.key}::text`)
      .execute();
    await this.db.deleteFrom('ticket_field').where('tenant_id', '=', tenantId).where('id', '=', field.id).execute();
  }
}
