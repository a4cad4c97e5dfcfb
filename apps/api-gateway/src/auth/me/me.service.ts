import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import type { AuthenticatedUser } from '../auth.types';
import { IdentityRepository } from '../identity/identity.repository';

@Injectable()
export class MeService {
  constructor(private readonly identity: IdentityRepository) {}

  async me(caller: AuthenticatedUser) {
    const [user, tenant] = await Promise.all([this.identity.findUser(caller.userId), this.identity.findTenant(caller.tenantId)]);
    if (!user || !tenant) throw new DomainError('UNAUTHENTICATED', 'A valid access token is required.');
    return {
      user: { id: user.id, email: user.email, name: user.name, roles: user.roles, tenantId: user.tenantId, createdAt: user.createdAt },
      tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug },
    };
  }
}
