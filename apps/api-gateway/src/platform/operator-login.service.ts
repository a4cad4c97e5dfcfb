import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { PasswordHasher } from '../auth/identity/password-hasher';
import { SignInAuditRepository } from '../auth/identity/sign-in-audit.repository';
import { LoginThrottle } from '../auth/throttle/login-throttle';
import { TokenService } from '../auth/tokens/token.service';
import type { OperatorLoginDto } from './operator-auth.dto';
import { OperatorRepository } from './operator.repository';

/** Operators' accounts are throttled and audited apart from users' (same email, other identity). */
const throttleKey = (email: string) => `operator:${email}`;

/** A platform operator signs in: an access token marked `operator`, no tenant, no refresh token. */
@Injectable()
export class OperatorLoginService {
  constructor(
    private readonly operators: OperatorRepository,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly audit: SignInAuditRepository,
    private readonly tokens: TokenService,
  ) {}

  async login({ email, password }: OperatorLoginDto, ip: string): Promise<{ accessToken: string; expiresIn: number }> {
    const key = throttleKey(email);
    try {
      await this.throttle.consume(key, ip);
    } catch (error) {
      await this.audit.record({ email: key, ip, outcome: 'throttled' });
      throw error;
    }
    const operator = await this.operators.findByEmail(email);
    // Always verify a hash (a dummy one for unknown emails): same answer, same time.
    const passwordOk = await this.passwords.verify(operator?.passwordHash, password);
    if (!operator || !passwordOk || !operator.active) {
      await this.audit.record({ email: key, ip, outcome: operator && passwordOk ? 'inactive' : 'invalid_credentials' });
      throw new DomainError('UNAUTHENTICATED', 'Invalid email or password.');
    }
    await this.throttle.recordSuccess(key, ip);
    await this.audit.record({ email: key, ip, outcome: 'success' });
    return this.tokens.issueOperatorToken(operator.id);
  }
}
