import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../../infrastructure/database/database';

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** First key of the refresh-token families' advisory locks. */
const FAMILY_LOCK_CLASS = 7301;

@Injectable()
export class RefreshTokenRepository {
  constructor(private readonly db: Database) {}

  async create(data: { tokenHash: string; familyId: string; userId: string; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('refresh_token')
      .values({ id: randomUUID(), token_hash: data.tokenHash, family_id: data.familyId, user_id: data.userId, expires_at: data.expiresAt })
      .execute();
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = await this.db
      .selectFrom('refresh_token')
      .select(['id', 'family_id as familyId', 'user_id as userId', 'expires_at as expiresAt', 'used_at as usedAt', 'revoked_at as revokedAt'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Locks the family until the transaction ends: its rotation, its revocation (reuse, logout)
   * and the check of both run one at a time, so a token cannot be issued into a family while it
   * is being revoked. (Two-key advisory lock: its own key space, apart from the outbox relay's.)
   */
  async lockFamily(familyId: string): Promise<void> {
    await this.db
      .selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [sql.lit(FAMILY_LOCK_CLASS), eb.fn('hashtext', [eb.val(familyId)])]).as('locked'))
      .execute();
  }

  /** Marks the token used if nobody has yet (atomic): false means it was already spent or revoked. */
  async spend(id: string, at: Date): Promise<boolean> {
    const { numUpdatedRows } = await this.db
      .updateTable('refresh_token')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return numUpdatedRows === 1n;
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.db.updateTable('refresh_token').set({ revoked_at: at }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
  }

  /** Revokes a family only if it is the user's (logout names its session by the token's `sid`). */
  async revokeUserFamily(userId: string, familyId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('refresh_token')
      .set({ revoked_at: at })
      .where('family_id', '=', familyId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Every live refresh token of the user (deactivation): none of their sessions can be renewed. */
  async revokeAllForUser(userId: string, at: Date): Promise<void> {
    await this.db.updateTable('refresh_token').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }

  async isFamilyRevoked(familyId: string): Promise<boolean> {
    const row = await this.db.selectFrom('refresh_token').select('id').where('family_id', '=', familyId).where('revoked_at', 'is not', null).executeTakeFirst();
    return row !== undefined;
  }
}
