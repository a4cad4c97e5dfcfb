import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalKysely } from '@crm/service-kit';
import type { DB } from '../../generated/kysely/database';
import { DatabasePool } from './database-pool';

/**
 * The gateway's database through the typed query builder, for what Prisma Client cannot say
 * (row and advisory locks). Inside a @Transactional() method its statements join the Prisma
 * transaction, so a lock taken here holds until that transaction ends.
 */
@Injectable()
export class Database extends TransactionalKysely<DB> {
  constructor(database: DatabasePool, transactions: TransactionHost) {
    super(database.pool, transactions);
  }
}
