import { Injectable } from '@nestjs/common';
import { Database } from '../infrastructure/database/database';

export interface OperatorRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  active: boolean;
}

/** Platform operators, read for sign-in. Created only by the command-line tool (create-operator.cli.ts). */
@Injectable()
export class OperatorRepository {
  constructor(private readonly db: Database) {}

  async findByEmail(email: string): Promise<OperatorRecord | null> {
    const row = await this.db
      .selectFrom('platform_operator')
      .select(['id', 'email', 'name', 'password_hash as passwordHash', 'active'])
      .where('email', '=', email)
      .executeTakeFirst();
    return row ?? null;
  }
}
