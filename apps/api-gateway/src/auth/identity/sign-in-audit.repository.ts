import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../../infrastructure/database/prisma.service';

export type SignInOutcome = 'success' | 'invalid_credentials' | 'inactive' | 'throttled';

@Injectable()
export class SignInAuditRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  async record(entry: { email: string; userId?: string; ip?: string; outcome: SignInOutcome }): Promise<void> {
    await this.txHost.tx.signInAudit.create({ data: entry });
  }
}
