import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable } from 'rxjs';
import { RpcCallContext } from '../../handlers/rpc-call-context';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../../messaging.options';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { CommandInboxRepository } from './command-inbox.repository';

/** Thrown inside a command's transaction to roll it back: another copy of the request committed first. */
class AppliedByAnotherCopy {}
/** Thrown to roll back a probing claim that found the request id free. */
class RequestIdFree {}

/**
 * Applies a command once however often the broker delivers it. A replica that dies after
 * committing but before acking gets its requests redelivered to another replica; without this,
 * a create would be written twice (or answer 409 for its own contact) and an update would answer
 * 412 for its own success.
 *
 * The handler runs, then its reply is stored under the request id in the same transaction as the
 * command's writes: one statement per command (claiming the id first cost a second round trip on
 * every create, update and move), sent with the COMMIT where the transaction runs on pg. A copy
 * that finds the id taken by a committed copy rolls its own writes back and answers the stored
 * reply; a copy that reaches the insert while another copy's is uncommitted waits for it. A copy
 * that fails may have failed because another copy committed first (412 after its update, 409
 * after its create): before answering an error, it claims the id in a transaction of its own
 * (waiting for a copy in flight) and answers the stored reply if one is there. Failed commands
 * leave no row: a redelivery runs them again.
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
    return from(this.applyOnce(call, next));
  }

  private async applyOnce(call: RpcCallContext, next: CallHandler): Promise<unknown> {
    const { service } = this.options;
    try {
      // The command's own transaction options are ignored once it joins this one (import batches
      // allow 60 s, a read-model rebuild 30 min): this one allows the longest.
      return await this.txHost.withTransaction({ timeout: this.options.rpc.commandTransactionTimeoutMs, maxWait: 10_000 }, async () => {
        const reply = await lastValueFrom(next.handle(), { defaultValue: undefined });
        if (this.inbox.saveReplyAtCommit(service, call.requestId, call.type, reply)) return reply;
        if (!(await this.inbox.saveReply(service, call.requestId, call.type, reply))) throw new AppliedByAnotherCopy();
        return reply;
      });
    } catch (error) {
      if (error instanceof AppliedByAnotherCopy) return this.inbox.storedReply(service, call.requestId);
      const applied = await this.appliedByAnotherCopy(call).catch(() => false);
      if (applied) return this.inbox.storedReply(service, call.requestId);
      throw error;
    }
  }

  /** Whether a copy of this request committed: claims the id (waiting for a copy in flight), then lets the claim go. */
  private async appliedByAnotherCopy(call: RpcCallContext): Promise<boolean> {
    const { service } = this.options;
    try {
      return await this.txHost.withTransaction(async () => {
        if (await this.inbox.claim(service, call.requestId, call.type)) throw new RequestIdFree();
        return true;
      });
    } catch (error) {
      if (error instanceof RequestIdFree) return false;
      throw error;
    }
  }
}
