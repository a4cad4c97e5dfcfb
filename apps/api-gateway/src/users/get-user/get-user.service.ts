import { Injectable } from '@nestjs/common';
import type { Actor } from '@crm/contracts';
import { userNotFound } from '../user-not-found';
import { ManagedUser, UsersRepository } from '../users.repository';

@Injectable()
export class GetUserService {
  constructor(private readonly users: UsersRepository) {}

  async get(actor: Actor, id: string): Promise<ManagedUser> {
    const user = await this.users.find(actor.tenantId, id);
    if (!user) throw userNotFound();
    return user;
  }
}
