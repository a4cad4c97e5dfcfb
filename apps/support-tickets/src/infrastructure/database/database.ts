import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalKysely } from '@crm/service-kit';
import type { DB } from '../../generated/kysely/database';
import { DatabasePool } from './database-pool';

/**
 * The support-tickets database through the typed query builder: the hot and set-based paths (README,
 * data access). Inside a @Transactional() method its statements join the transaction;
 * outside they run as prepared statements on the pool, or, when they only read, on the pipelined
 * read connections.
 */
@Injectable()
export class Database extends TransactionalKysely<DB> {
  constructor(database: DatabasePool, transactions: TransactionHost) {
    super(database.pool, transactions, database.reads);
  }
}
