import { Injectable } from '@nestjs/common';
import type { Insertable, Updateable } from 'kysely';
import type { EmailTemplate as EmailTemplateTable } from '../../generated/kysely/database';
import { Database } from '../../infrastructure/database/database';
import type { EmailTemplateRow } from './email-template.mapper';

export type NewEmailTemplateValues = Omit<Insertable<EmailTemplateTable>, 'tenant_id'>;
export type EmailTemplateChanges = Updateable<EmailTemplateTable>;

/** The email_template table, tenant-scoped in every statement. */
@Injectable()
export class EmailTemplateRepository {
  constructor(private readonly db: Database) {}

  insert(tenantId: string, values: NewEmailTemplateValues): Promise<EmailTemplateRow> {
    return this.db
      .insertInto('email_template')
      .values({ ...values, tenant_id: tenantId })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findLive(tenantId: string, id: string): Promise<EmailTemplateRow | undefined> {
    return this.db
      .selectFrom('email_template')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  /** Applies only at `version` (undefined: changed meanwhile); the version moves on. */
  update(tenantId: string, id: string, version: number, changes: EmailTemplateChanges): Promise<EmailTemplateRow | undefined> {
    return this.db
      .updateTable('email_template')
      .set({ ...changes, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** Oldest first, then id; one more row than the page. */
  list(tenantId: string, query: { purpose?: string; after?: { createdAt: Date; id: string }; limit: number }): Promise<EmailTemplateRow[]> {
    let select = this.db.selectFrom('email_template').selectAll().where('tenant_id', '=', tenantId).where('deleted_at', 'is', null);
    if (query.purpose) select = select.where('purpose', '=', query.purpose);
    const after = query.after;
    if (after)
      select = select.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    return select
      .orderBy('created_at')
      .orderBy('id')
      .limit(query.limit + 1)
      .execute();
  }
}
