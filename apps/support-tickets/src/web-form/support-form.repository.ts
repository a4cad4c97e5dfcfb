import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import type { SupportForm as SupportFormTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type SupportFormRow = Selectable<SupportFormTable>;

/** Support web forms: tenant-scoped, except the lookup by the public key (which names the tenant). */
@Injectable()
export class SupportFormRepository {
  constructor(private readonly db: Database) {}

  insert(tenantId: string, form: { id: string; formKey: string; name: string; groupId: string | null; allowedOrigins: string[]; active: boolean }, at: Date): Promise<SupportFormRow> {
    return this.db
      .insertInto('support_form')
      .values({
        id: form.id,
        tenant_id: tenantId,
        form_key: form.formKey,
        name: form.name,
        group_id: form.groupId,
        allowed_origins: form.allowedOrigins,
        active: form.active,
        created_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  list(tenantId: string): Promise<SupportFormRow[]> {
    return this.db.selectFrom('support_form').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
  }

  setActive(tenantId: string, id: string, active: boolean): Promise<SupportFormRow | undefined> {
    return this.db.updateTable('support_form').set({ active }).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst();
  }

  /** The active form the public key names, in whichever tenant. */
  activeByKey(formKey: string): Promise<SupportFormRow | undefined> {
    return this.db.selectFrom('support_form').selectAll().where('form_key', '=', formKey).where('active', '=', true).executeTakeFirst();
  }
}
