import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { DomainError } from '@crm/contracts';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../app.config';
import { isUniqueViolation } from '../../infrastructure/database/unique-violation';
import { IdentityRepository } from '../identity/identity.repository';
import { PasswordHasher } from '../identity/password-hasher';
import { TokenService } from '../tokens/token.service';
import type { SignupDto } from './signup.dto';

/** Tries at creating the tenant: a slug taken between the check and the insert is retried with another suffix. */
const SLUG_ATTEMPTS = 4;

/**
 * Creates a tenant and its first admin, signed in. A new organisation may always be created with
 * any email (emails are unique per organisation only), so sign-up never tells whether an email
 * is known anywhere.
 */
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
    const base = slugOf(input.organization);
    for (let attempt = 1; ; attempt++) {
      const slug = attempt === 1 && !(await this.identity.slugTaken(base)) ? base : `${base}-${randomBytes(4).toString('hex').slice(0, 6)}`;
      try {
        return await this.create(input, passwordHash, slug);
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= SLUG_ATTEMPTS) throw error;
      }
    }
  }

  private create(input: SignupDto, passwordHash: string, slug: string) {
    return this.txHost.withTransaction(async () => {
      const tenant = await this.identity.createTenant(input.organization, slug);
      // A new organisation has no users: the email cannot be taken in it.
      const user = await this.identity.createUser({ tenantId: tenant.id, email: input.email, name: input.name, passwordHash, roles: ['admin'] });
      if (!user) throw new Error('a new organisation already had a user with this email');
      const tokens = await this.tokens.issue(user);
      return {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresIn: tokens.expiresIn,
        user: { id: user.id, email: user.email, name: user.name, roles: user.roles, tenantId: user.tenantId },
        tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug },
      };
    });
  }
}

/** `Acme Rockets & Co.` → `acme-rockets-co`: lower-case ASCII letters and digits joined by hyphens, at most 40. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'org';
}
