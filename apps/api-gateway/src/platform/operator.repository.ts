import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';

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
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  findByEmail(email: string): Promise<OperatorRecord | null> {
    return this.txHost.tx.platformOperator.findUnique({ where: { email } });
  }
}
