import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Actor } from '@crm/contracts';
import { AccessTokenDenylist } from '../../auth/tokens/access-token-denylist';
import { RefreshTokenRepository } from '../../auth/tokens/refresh-token.repository';
import { AdminGuardRails } from '../admin-guard-rails';
import { userNotFound } from '../user-not-found';
import { ManagedUser, UsersRepository } from '../users.repository';

/**
 * Cuts a user off at once, keeping their record (what they did stays attributed): their access
 * tokens are refused from now on (denylist, checked on every request), their refresh tokens are
 * revoked, and login refuses inactive users. Idempotent.
 */
@Injectable()
export class DeactivateUserService {
  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly guardRails: AdminGuardRails,
    private readonly denylist: AccessTokenDenylist,
    private readonly txHost: TransactionHost,
  ) {}

  deactivate(actor: Actor, id: string): Promise<ManagedUser> {
    return this.txHost.withTransaction(async () => {
      await this.users.lockTenant(actor.tenantId);
      const target = await this.users.find(actor.tenantId, id);
      if (!target) throw userNotFound();
      await this.guardRails.checkDeactivation(actor, target);
      // Before the commit: should the transaction fail, the user merely has to refresh.
      await this.denylist.revokeUserTokens(id);
      const updated = await this.users.update(actor.tenantId, id, { active: false });
      if (!updated) throw userNotFound();
      await this.refreshTokens.revokeAllForUser(id, new Date());
      return updated;
    });
  }
}
