import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { DomainError } from '@crm/contracts';
import { AppConfig } from '../../app.config';
import { IdentityRepository } from '../identity/identity.repository';
import { PasswordHasher } from '../identity/password-hasher';
import { TokenService } from '../tokens/token.service';
import type { SignupDto } from './signup.dto';

/** Creates a tenant and its first admin, signed in. */
@Injectable()
export class SignupService {
  constructor(
    private readonly config: AppConfig,
    private readonly identity: IdentityRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly txHost: TransactionHost,
  ) {}

  async signup(input: SignupDto) {
    if (!this.config.AUTH_SIGNUP_ENABLED) throw new DomainError('FORBIDDEN', 'Sign-up is disabled on this deployment.');
    const passwordHash = await this.passwords.hash(input.password);
    return this.txHost.withTransaction(async () => {
      const tenant = await this.identity.createTenant(input.organization);
      const user = await this.identity.createUser({ tenantId: tenant.id, email: input.email, name: input.name, passwordHash, roles: ['admin'] });
      if (!user) throw new DomainError('CONFLICT', 'An account with this email already exists.');
      const tokens = await this.tokens.issue(user);
      return {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresIn: tokens.expiresIn,
        user: { id: user.id, email: user.email, name: user.name, roles: user.roles, tenantId: user.tenantId },
        tenant: { id: tenant.id, name: tenant.name },
      };
    });
  }
}
