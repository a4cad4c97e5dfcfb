import { Injectable } from '@nestjs/common';
import type { Actor } from '@crm/contracts';
import { userNotFound } from '../user-not-found';
import { ManagedUser, UsersRepository } from '../users.repository';

/**
 * Lets a deactivated user sign in again. Refresh tokens revoked at deactivation stay revoked: they
 * log in anew. An access token issued before the deactivation is accepted again until it expires
 * (15 minutes at most): the JWT strategy checks `active`, not when the user was reactivated.
 * Idempotent.
 */
@Injectable()
export class ActivateUserService {
  constructor(private readonly users: UsersRepository) {}

  async activate(actor: Actor, id: string): Promise<ManagedUser> {
    const updated = await this.users.update(actor.tenantId, id, { active: true });
    if (!updated) throw userNotFound();
    return updated;
  }
}
