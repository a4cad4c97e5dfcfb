import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable } from 'rxjs';
import { RpcCallContext } from '../../handlers/rpc-call-context';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../../messaging.options';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { CommandInboxRepository } from './command-inbox.repository';

/**
 * Applies a command once however often the broker delivers it. A replica that dies after
 * committing but before acking gets its requests redelivered to another replica; without this,
 * a create would be written twice (or answer 409 for its own contact) and an update would answer
 * 412 for its own success. The request id is claimed, the handler runs and its reply is stored,
 * all in one transaction with the command's writes; a redelivery gets the stored reply.
 * Failed commands roll back their claim: a redelivery runs them again.
 */
@Injectable()
export class CommandInbox implements NestInterceptor {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma>,
    private readonly inbox: CommandInboxRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const call = context.switchToRpc().getContext<unknown>();
    if (!(call instanceof RpcCallContext)) return next.handle();
    const { service } = this.options;
    return from(
      // The command's own transaction options are ignored once it joins this one (import batches
      // allow 60 s, a read-model rebuild 30 min): this one allows the longest.
      this.txHost.withTransaction({ timeout: this.options.rpc.commandTransactionTimeoutMs, maxWait: 10_000 }, async () => {
        if (!(await this.inbox.claim(service, call.requestId, call.type))) return this.inbox.storedReply(service, call.requestId);
        const reply = await lastValueFrom(next.handle(), { defaultValue: undefined });
        await this.inbox.saveReply(service, call.requestId, call.type, reply);
        return reply;
      }),
    );
  }
}
