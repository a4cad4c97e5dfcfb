import type { ContractIssue } from '@crm/contracts';
import type { PrismaTransactionOptions, TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { validationFailed } from '../shared/errors';

/**
 * A batch of 1,000 is one transaction with a few thousand statements (one outbox row per
 * record): more than Prisma's 5 s default allows on a busy machine.
 */
export const IMPORT_TRANSACTION: PrismaTransactionOptions = { timeout: 60_000, maxWait: 10_000 };
export type ImportAdapter = TransactionalAdapterPrisma;

/** Enough to fix a file by; a batch of 1,000 bad rows need not send 1,000 messages back. */
const MAX_ISSUES = 100;

/** All or nothing: any problem in any item refuses the whole batch, naming the items. */
export function refuseIfAny(issues: ContractIssue[]): void {
  if (issues.length) throw validationFailed(issues.slice(0, MAX_ISSUES));
}

/** The reply's `created` entry of item `index`: its new id, next to the caller's own key if it gave one. */
export function createdEntry(item: { externalId?: string }, id: string): { externalId?: string; id: string } {
  return item.externalId !== undefined ? { externalId: item.externalId, id } : { id };
}
