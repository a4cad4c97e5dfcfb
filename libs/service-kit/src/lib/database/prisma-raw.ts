/** What the executor needs of a Prisma client (or of its interactive transaction). */
export interface PrismaRawClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** Where the current transaction lives: nestjs-cls's TransactionHost fits. */
export interface TransactionSource {
  isTransactionActive(): boolean;
  readonly tx: unknown;
}
