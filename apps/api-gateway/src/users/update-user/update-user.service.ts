import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Actor } from '@crm/contracts';
import { AdminGuardRails } from '../admin-guard-rails';
import { userNotFound } from '../user-not-found';
import { ManagedUser, UsersRepository } from '../users.repository';
import type { UpdateUserDto } from './update-user.dto';

/**
 * Renames a user or changes their roles.
 *
 * New roles apply from the user's next access token (login or refresh): a token already issued
 * keeps the roles it was signed with until it expires (AUTH_ACCESS_TOKEN_TTL_MS, 15 minutes at
 * most). Accepted: deactivation, not a role change, is how access is cut at once.
 */
@Injectable()
export class UpdateUserService {
  constructor(
    private readonly users: UsersRepository,
    private readonly guardRails: AdminGuardRails,
    private readonly txHost: TransactionHost,
  ) {}

  update(actor: Actor, id: string, input: UpdateUserDto): Promise<ManagedUser> {
    return this.txHost.withTransaction(async () => {
      await this.users.lockTenant(actor.tenantId);
      const target = await this.users.find(actor.tenantId, id);
      if (!target) throw userNotFound();
      if (input.roles) await this.guardRails.checkRoleChange(actor, target, input.roles);
      const updated = await this.users.update(actor.tenantId, id, { name: input.name, roles: input.roles });
      if (!updated) throw userNotFound();
      return updated;
    });
  }
}
