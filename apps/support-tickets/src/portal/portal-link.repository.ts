import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';

/** The portal's one-time sign-in links, by the SHA-256 of their token. */
@Injectable()
export class PortalLinkRepository {
  constructor(private readonly db: Database) {}

  async insert(link: { tokenHash: string; tenantId: string; email: string; expiresAt: Date }, at: Date): Promise<void> {
    await this.db
      .insertInto('portal_sign_in_link')
      .values({ token_hash: link.tokenHash, tenant_id: link.tenantId, email: link.email, expires_at: link.expiresAt, created_at: at })
      .execute();
  }

  /** Spends the link (one conditional update: two redemptions at once cannot both win); whom it was for, if it could be spent. */
  async spend(tokenHash: string, at: Date): Promise<{ tenantId: string; email: string } | undefined> {
    const { rows } = await sql<{ tenant_id: string; email: string }>`
      UPDATE portal_sign_in_link SET used_at = ${at}
      WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > ${at}
      RETURNING tenant_id, email`.execute(this.db);
    return rows[0] && { tenantId: rows[0].tenant_id, email: rows[0].email };
  }

  /** Links gone stale an hour ago (spent or expired): nothing reads them any more. */
  async deleteStale(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('portal_sign_in_link').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Whether the address asked any ticket of the tenant (a link is only sent to a requester). */
  async isRequester(tenantId: string, email: string): Promise<boolean> {
    const row = await this.db.selectFrom('ticket').select('id').where('tenant_id', '=', tenantId).where('requester_email', '=', email).limit(1).executeTakeFirst();
    return row !== undefined;
  }
}
