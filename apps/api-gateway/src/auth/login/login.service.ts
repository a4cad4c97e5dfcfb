import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import type { TokenPair } from '../auth.types';
import { IdentityRepository } from '../identity/identity.repository';
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

  async login({ email, password }: LoginDto, ip: string): Promise<TokenPair> {
    try {
      // Taken before the password is checked: concurrent guesses cannot outrun the count.
      await this.throttle.consume(email, ip);
    } catch (error) {
      await this.audit.record({ email, ip, outcome: 'throttled' });
      throw error;
    }
    const user = await this.identity.findUserByEmail(email);
    // Always verify a hash (a dummy one for unknown emails): same answer, same time.
    const passwordOk = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !passwordOk || !user.active) {
      await this.audit.record({ email, ip, userId: user?.id, outcome: user && passwordOk ? 'inactive' : 'invalid_credentials' });
      throw new DomainError('UNAUTHENTICATED', INVALID_CREDENTIALS);
    }
    await this.throttle.recordSuccess(email, ip);
    await this.audit.record({ email, ip, userId: user.id, outcome: 'success' });
    return this.tokens.issue(user);
  }
}
