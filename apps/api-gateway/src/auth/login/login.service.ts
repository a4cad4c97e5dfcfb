import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import type { TokenPair } from '../auth.types';
import { IdentityRepository, UserInTenant } from '../identity/identity.repository';
import { PasswordHasher } from '../identity/password-hasher';
import { SignInAuditRepository } from '../identity/sign-in-audit.repository';
import { LoginThrottle } from '../throttle/login-throttle';
import { TokenService } from '../tokens/token.service';
import type { LoginDto } from './login.dto';

const INVALID_CREDENTIALS = 'Invalid email or password.';

@Injectable()
export class LoginService {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly audit: SignInAuditRepository,
    private readonly tokens: TokenService,
  ) {}

  /**
   * One email may have an account in several organisations, each with its own password. The
   * password is checked against each (of the named organisation only, when `organization` is
   * given); only where it matches does the caller learn anything: one match signs in, several
   * answer ORGANIZATION_REQUIRED listing those. No match is the same 401 as an unknown email.
   * The throttle counts per email, across organisations.
   */
  async login({ email, password, organization }: LoginDto, ip: string): Promise<TokenPair> {
    try {
      // Taken before the password is checked: concurrent guesses cannot outrun the count.
      await this.throttle.consume(email, ip);
    } catch (error) {
      await this.audit.record({ email, ip, outcome: 'throttled' });
      throw error;
    }
    const accounts = await this.identity.findUsersByEmail(email, organization);
    const matched = await this.matching(accounts, password);
    const usable = matched.filter((user) => user.active);
    if (usable.length === 0) {
      const inactive = matched[0];
      await this.audit.record({ email, ip, userId: inactive?.id ?? accounts[0]?.id, outcome: inactive ? 'inactive' : 'invalid_credentials' });
      throw new DomainError('UNAUTHENTICATED', INVALID_CREDENTIALS);
    }
    // The password was right: the attempt is given back, whatever the answer.
    await this.throttle.recordSuccess(email, ip);
    if (usable.length > 1) {
      throw new DomainError('CONFLICT', 'This email belongs to several organisations; repeat the login with one of them as `organization`.', {
        problemCode: 'ORGANIZATION_REQUIRED',
        organizations: usable.map((user) => ({ slug: user.tenant.slug, name: user.tenant.name })),
      });
    }
    const [user] = usable;
    await this.audit.record({ email, ip, userId: user.id, outcome: 'success' });
    return this.tokens.issue(user);
  }

  /** The accounts whose password matches. Always verifies at least one hash (a dummy one when there is no account): same answer, same time. */
  private async matching(accounts: UserInTenant[], password: string): Promise<UserInTenant[]> {
    if (accounts.length === 0) {
      await this.passwords.verify(undefined, password);
      return [];
    }
    const results = await Promise.all(accounts.map((user) => this.passwords.verify(user.passwordHash, password)));
    return accounts.filter((_, i) => results[i]);
  }
}
