import { Injectable } from '@nestjs/common';
import { Actor, DomainError } from '@crm/contracts';
import { PasswordHasher } from '../../auth/identity/password-hasher';
import { ManagedUser, UsersRepository } from '../users.repository';
import type { CreateUserDto } from './create-user.dto';

/** An admin adds a user to their own organisation. */
@Injectable()
export class CreateUserService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async create(actor: Actor, input: CreateUserDto): Promise<ManagedUser> {
    const passwordHash = await this.passwords.hash(input.password);
    const user = await this.users.create({ tenantId: actor.tenantId, email: input.email, name: input.name, passwordHash, roles: input.roles });
    if (!user) throw new DomainError('CONFLICT', 'A user with this email already exists in your organisation.');
    return user;
  }
}
