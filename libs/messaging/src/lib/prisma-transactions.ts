import type { ModuleMetadata, Type } from '@nestjs/common';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';

/**
 * The nestjs-cls plugin that lets repositories, the outbox and the inbox share the caller's
 * Prisma transaction (`TransactionHost.tx`, `@Transactional()`).
 */
export function prismaTransactions(prismaService: Type<unknown>, imports: ModuleMetadata['imports'] = []) {
  return new ClsPluginTransactional({
    imports,
    adapter: new TransactionalAdapterPrisma({ prismaInjectionToken: prismaService }),
  });
}
