import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../../infrastructure/database/database';

export interface EmailSenderRow {
  tenant_id: string;
  name: string;
  address: string;
  reply_to: string | null;
  version: number;
  updated_at: Date;
}

/** Each tenant's own sender (email_sender), one row at most. */
@Injectable()
export class EmailSenderRepository {
  constructor(private readonly db: Database) {}

  find(tenantId: string): Promise<EmailSenderRow | undefined> {
    return this.db.selectFrom('email_sender').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  }

  /** Sets it when the tenant's is still at `version` (0: none yet); undefined when it changed meanwhile. */
  async upsert(
    tenantId: string,
    sender: { name: string; address: string; replyTo: string | null },
    version: number,
    at: Date,
  ): Promise<EmailSenderRow | undefined> {
    const result = await sql<EmailSenderRow>`
      INSERT INTO email_sender (tenant_id, name, address, reply_to, version, updated_at)
      VALUES (${tenantId}, ${sender.name}, ${sender.address}, ${sender.replyTo}, 1, ${at})
      ON CONFLICT (tenant_id) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, reply_to = EXCLUDED.reply_to,
        version = email_sender.version + 1, updated_at = EXCLUDED.updated_at
      WHERE email_sender.version = ${version}
      RETURNING *`.execute(this.db);
    return result.rows[0];
  }

  async delete(tenantId: string): Promise<void> {
    await this.db.deleteFrom('email_sender').where('tenant_id', '=', tenantId).execute();
  }
}
