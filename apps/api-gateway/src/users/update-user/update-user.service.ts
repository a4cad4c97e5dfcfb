import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Actor } from '@crm/contracts';
import { AccessTokenDenylist } from '../../auth/tokens/access-token-denylist';
import { AdminGuardRails } from '../admin-guard-rails';
import { userNotFound } from '../user-not-found';
import { ManagedUser, UsersRepository } from '../users.repository';
import type { UpdateUserDto } from './update-user.dto';

/**
 * Renames a user or changes their roles.
 *
 * A role change takes effect at once: the user's access tokens (which carry their roles) are
 * refused from now on, and the next refresh issues one with the new roles.
 */
@Injectable()
export class UpdateUserService {
  constructor(
    private readonly users: UsersRepository,
    private readonly guardRails: AdminGuardRails,
    private readonly denylist: AccessTokenDenylist,
    private readonly txHost: TransactionHost,
  ) {}

  update(actor: Actor, id: string, input: UpdateUserDto): Promise<ManagedUser> {
    return this.txHost.withTransaction(async () => {
      await this.users.lockTenant(actor.tenantId);
      const target = await this.users.find(actor.tenantId, id);
      if (!target) throw userNotFound();
      if (input.roles) await this.guardRails.checkRoleChange(actor, target, input.roles);
      if (input.roles && !sameRoles(input.roles, target.roles)) await this.denylist.revokeUserTokens(id);
      const updated = await this.users.update(actor.tenantId, id, { name: input.name, roles: input.roles });
      if (!updated) throw userNotFound();
      return updated;
    });
  }
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}
