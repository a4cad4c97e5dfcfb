import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalKysely } from '@crm/service-kit';
import type { DB } from '../../generated/kysely/database';
import { DatabasePool } from './database-pool';

/**
 * The gateway's database through the typed query builder: every statement of its repositories
 * (the gateway runs no Prisma client). Inside a transaction its statements join it, so a lock
 * taken here holds until that transaction ends; outside they run as prepared statements on the pool,
 * or, when they only read, on the pipelined read connections.
 */
@Injectable()
export class Database extends TransactionalKysely<DB> {
  constructor(database: DatabasePool, transactions: TransactionHost) {
    super(database.pool, transactions, database.reads);
  }
}
