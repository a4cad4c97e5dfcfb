import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { sql } from 'kysely';
import { Database } from '../../infrastructure/database/database';
import type { PrismaService } from '../../infrastructure/database/prisma.service';

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
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
    private readonly database: Database,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  async create(data: { tokenHash: string; familyId: string; userId: string; expiresAt: Date }): Promise<void> {
    await this.db.refreshToken.create({ data });
  }

  findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return this.db.refreshToken.findUnique({
      where: { tokenHash },
      select: { id: true, familyId: true, userId: true, expiresAt: true, usedAt: true, revokedAt: true },
    });
  }

  /**
   * Locks the family until the transaction ends: its rotation, its revocation (reuse, logout)
   * and the check of both run one at a time, so a token cannot be issued into a family while it
   * is being revoked. (Two-key advisory lock: its own key space, apart from the outbox relay's.)
   */
  async lockFamily(familyId: string): Promise<void> {
    // Read as text: the transaction's Prisma client cannot read the function's void result.
    await this.database
      .selectNoFrom((eb) =>
        eb.cast<string>(eb.fn('pg_advisory_xact_lock', [sql.lit(FAMILY_LOCK_CLASS), eb.fn('hashtext', [eb.val(familyId)])]), 'text').as('locked'),
      )
      .execute();
  }

  /** Marks the token used if nobody has yet (atomic): false means it was already spent or revoked. */
  async spend(id: string, at: Date): Promise<boolean> {
    const { count } = await this.db.refreshToken.updateMany({ where: { id, usedAt: null, revokedAt: null }, data: { usedAt: at } });
    return count === 1;
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** Revokes a family only if it is the user's (logout names its session by the token's `sid`). */
  async revokeUserFamily(userId: string, familyId: string, at: Date): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, userId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** Every live refresh token of the user (deactivation): none of their sessions can be renewed. */
  async revokeAllForUser(userId: string, at: Date): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  }

  async isFamilyRevoked(familyId: string): Promise<boolean> {
    return (await this.db.refreshToken.count({ where: { familyId, revokedAt: { not: null } } })) > 0;
  }
}
