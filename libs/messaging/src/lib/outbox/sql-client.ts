import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';

/** The part of a Prisma client the messaging tables need: parameterised raw SQL. */
export interface SqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  /**
   * Where the client can (pg transactions): sends the parameterised statement just before the
   * COMMIT, in no round trip of its own. If it fails, the transaction rolls back and its error is
   * the transaction's.
   */
  withCommit?(query: string, values: unknown[]): void;
}

/**
 * The service's Prisma client as seen through nestjs-cls: inside a transaction it is that
 * transaction's client, so outbox and inbox rows commit or roll back with the caller's work.
 */
@Injectable()
export class MessagingSql {
  constructor(private readonly txHost: TransactionHost) {}

  get client(): SqlClient {
    return this.txHost.tx as unknown as SqlClient;
  }

  isInTransaction(): boolean {
    return this.txHost.isTransactionActive();
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.txHost.withTransaction(fn);
  }
}
