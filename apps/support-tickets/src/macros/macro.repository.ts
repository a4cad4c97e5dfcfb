import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import type { Macro as MacroTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type MacroRow = Selectable<MacroTable>;

export interface MacroFields {
  name: string;
  reply: { kind: string; body: string } | null;
  set: Record<string, unknown>;
  addTags: string[];
  removeTags: string[];
}

/** Macros, tenant-scoped in every statement. */
@Injectable()
export class MacroRepository {
  constructor(private readonly db: Database) {}

  insert(tenantId: string, id: string, f: MacroFields, at: Date): Promise<MacroRow | undefined> {
    return this.db
      .insertInto('macro')
      .values({
        id,
        tenant_id: tenantId,
        name: f.name,
        reply: f.reply === null ? null : JSON.stringify(f.reply),
        set_fields: JSON.stringify(f.set),
        add_tags: f.addTags,
        remove_tags: f.removeTags,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  find(tenantId: string, id: string): Promise<MacroRow | undefined> {
    return this.db.selectFrom('macro').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  list(tenantId: string): Promise<MacroRow[]> {
    return this.db.selectFrom('macro').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
  }

  async nameTaken(tenantId: string, name: string, except: string): Promise<boolean> {
    return (await this.db.selectFrom('macro').select('id').where('tenant_id', '=', tenantId).where('name', '=', name).where('id', '!=', except).executeTakeFirst()) !== undefined;
  }

  update(tenantId: string, id: string, version: number, f: MacroFields, at: Date): Promise<MacroRow | undefined> {
    return this.db
      .updateTable('macro')
      .set({
        name: f.name,
        reply: f.reply === null ? null : JSON.stringify(f.reply),
        set_fields: JSON.stringify(f.set),
        add_tags: f.addTags,
        remove_tags: f.removeTags,
        version: version + 1,
        updated_at: at,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('macro').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
