import { Injectable } from '@nestjs/common';
import { Database } from '../../infrastructure/database/database';

export type SignInOutcome = 'success' | 'invalid_credentials' | 'inactive' | 'throttled';

@Injectable()
export class SignInAuditRepository {
  constructor(private readonly db: Database) {}

  async record(entry: { email: string; userId?: string; ip?: string; outcome: SignInOutcome }): Promise<void> {
    await this.db
      .insertInto('sign_in_audit')
      .values({ email: entry.email, user_id: entry.userId ?? null, ip: entry.ip ?? null, outcome: entry.outcome })
      .execute();
  }
}
