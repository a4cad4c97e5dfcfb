import { Injectable } from '@nestjs/common';
import { Actor, DomainError, Role } from '@crm/contracts';
import { ManagedUser, UsersRepository } from './users.repository';

/**
 * Rules that keep a tenant administrable: nobody locks themselves out, and a tenant always keeps
 * an active admin. Call inside a transaction after UsersRepository.lockTenant, so the count of
 * admins cannot change between the check and the write.
 */
@Injectable()
export class AdminGuardRails {
  constructor(private readonly users: UsersRepository) {}

  async checkDeactivation(actor: Actor, target: ManagedUser): Promise<void> {
    if (target.id === actor.userId) throw new DomainError('CONFLICT', 'You cannot deactivate your own account.');
    if (target.active && isAdmin(target.roles) && (await this.isLastActiveAdmin(target))) {
      throw new DomainError('CONFLICT', 'This user is the last active admin of the organisation and cannot be deactivated.');
    }
  }

  async checkRoleChange(actor: Actor, target: ManagedUser, roles: readonly Role[]): Promise<void> {
    if (!isAdmin(target.roles) || isAdmin(roles)) return;
    if (target.id === actor.userId) throw new DomainError('CONFLICT', 'You cannot remove your own admin role.');
    if (target.active && (await this.isLastActiveAdmin(target))) {
      throw new DomainError('CONFLICT', 'This user is the last active admin of the organisation and cannot lose the admin role.');
    }
  }

  private async isLastActiveAdmin(target: ManagedUser): Promise<boolean> {
    return (await this.users.countActiveAdmins(target.tenantId)) <= 1;
  }
}

function isAdmin(roles: readonly string[]): boolean {
  return roles.includes('admin');
}
