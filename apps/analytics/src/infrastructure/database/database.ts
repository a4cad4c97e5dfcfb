import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalKysely } from '@crm/service-kit';
import type { DB } from '../../generated/kysely/database';
import { DatabasePool } from './database-pool';

/**
 * The analytics database through the typed query builder: the hot and set-based paths (the event
 * log's appends, the read models' upserts with their counters, the replay's keyset pages). Inside
 * the consumer's transaction its statements join the Prisma transaction; outside they run as
 * prepared statements on the pool.
 */
@Injectable()
export class Database extends TransactionalKysely<DB> {
  constructor(database: DatabasePool, transactions: TransactionHost) {
    super(database.pool, transactions);
  }
}
