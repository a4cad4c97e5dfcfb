import { CanActivate, Controller, ExecutionContext, Inject, Injectable, UseGuards } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { DomainError, EventEnvelope } from '@crm/contracts';
import { EventPublisher, JsonReply, MessageContext, OnEvent, OnRpc, PgSqlClient, RpcCallContext, TenantCallContext } from '../../src';
import { itemCreated, itemPoisoned, labAdminOnly, labEcho, labFail, labGuarded, labJsonText, labRecord, labSlow, labWhoAmI } from './lab.contracts';
import { LabPrisma } from './lab.database';

/** Switches a test flips at run time. */
export class LabControl {
  poisonFailing = true;
  /** Time each item handler spends inside its transaction (slows consumption down for fault tests). */
  delayMs = 0;
  readonly instance: string;
  handled = 0;
  constructor(instance: string) {
    this.instance = instance;
  }
}
export const LAB_CONTROL = Symbol('LAB_CONTROL');

export type LabTransactions = 'prisma' | 'pg';
export const LAB_TRANSACTIONS = Symbol('LAB_TRANSACTIONS');

@Injectable()
export class LabEffects {
  constructor(
    private readonly txHost: TransactionHost,
    @Inject(LAB_TRANSACTIONS) private readonly transactions: LabTransactions,
  ) {}

  /**
   * Through Prisma's model API on Prisma transactions. On pg, one INSERT that goes with the
   * COMMIT (withCommit), as the services' repositories send a write whose result they do not
   * read: no round trip of its own, and its failure (a constraint's) is the transaction's, so
   * the delivery is retried or parked as when the handler throws.
   */
  async record(eventId: string, itemId: number): Promise<void> {
    if (this.transactions === 'pg') {
      (this.txHost.tx as PgSqlClient).withCommit('INSERT INTO lab_effect (event_id, item_id) VALUES ($1::uuid, $2)', [eventId, itemId]);
      return;
    }
    await (this.txHost.tx as TransactionHost<TransactionalAdapterPrisma<LabPrisma>>['tx']).labEffect.create({ data: { eventId, itemId } });
  }
}

/** A plain Nest guard, to show that guards run on message handlers as on routes. */
@Injectable()
export class OpenOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToRpc().getData<{ open?: boolean }>().open === true;
  }
}

@Controller()
export class LabHandlers {
  constructor(
    private readonly effects: LabEffects,
    @Inject(LAB_CONTROL) private readonly control: LabControl,
    private readonly context: MessageContext,
  ) {}

  @OnEvent(itemCreated, { scope: 'tenant' })
  async onItemCreated(data: { itemId: number }, envelope: EventEnvelope) {
    this.control.handled++;
    if (this.control.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.control.delayMs));
    await this.effects.record(envelope.id, data.itemId);
  }

  @OnEvent(itemPoisoned, { scope: 'tenant' })
  async onItemPoisoned(data: { itemId: number }, envelope: EventEnvelope) {
    if (this.control.poisonFailing) throw new Error(`downstream rejects item ${data.itemId}`);
    await this.effects.record(envelope.id, data.itemId);
  }

  @OnRpc(labEcho, { scope: 'public', why: 'diagnostics: answers the payload it got' })
  async echo(request: { payload: string }) {
    return { payload: request.payload, service: this.control.instance };
  }

  @OnRpc(labJsonText, { scope: 'public', why: 'diagnostics: answers its items as JSON text' })
  jsonText(request: { items: string[] }) {
    return new JsonReply<{ items: string[] }>(`{"items":${JSON.stringify(request.items)}}`);
  }

  @OnRpc(labRecord, { scope: 'public', why: 'diagnostics: answers a record at the version asked for' })
  record({ version, asText }: { version: number; asText: boolean }) {
    const record = { id: 'r1', version };
    return asText ? new JsonReply<typeof record>(JSON.stringify(record), version) : record;
  }

  @OnRpc(labSlow, { scope: 'public', why: 'diagnostics: waits, then names the instance' })
  async slow(request: { ms: number }) {
    await new Promise((resolve) => setTimeout(resolve, request.ms));
    return { instance: this.control.instance };
  }

  @OnRpc(labWhoAmI, { scope: 'public', why: 'answers who the transport says calls' })
  async whoAmI(_request: unknown, { actor, correlationId }: RpcCallContext) {
    return { actor, correlationId, traceparent: this.context.current().traceparent };
  }

  @OnRpc(labGuarded, { scope: 'tenant' })
  @UseGuards(OpenOnlyGuard)
  async guarded() {
    return { passed: true as const };
  }

  /** Tenant-scoped, for admins only: counts the calls that reached it (the transport refuses the others first). */
  @OnRpc(labAdminOnly, { scope: 'tenant', roles: ['admin'] })
  async adminOnly(_request: unknown, { tenantId }: TenantCallContext) {
    this.control.handled++;
    return { tenantId };
  }

  @OnRpc(labFail, { scope: 'tenant' })
  async fail(request: { code: 'NOT_FOUND' | 'CONFLICT' | 'CRASH' }): Promise<never> {
    if (request.code === 'CRASH') throw new Error('secret internal detail');
    throw new DomainError(request.code, `lab says ${request.code}`, { reason: 'test' });
  }
}

@Injectable()
export class LabPublisher {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<LabPrisma>>,
    private readonly events: EventPublisher,
  ) {}

  /** Publishes items first..first+count-1, each in its own transaction, `concurrency` at a time. */
  async publishItems(first: number, count: number, concurrency = 16, contract = itemCreated): Promise<void> {
    let next = first;
    const end = first + count;
    const worker = async () => {
      while (next < end) {
        const itemId = next++;
        // Waits for a pooled connection as the command inbox does (10 s, not Prisma's 2 s): on a busy
        // 2-core machine `concurrency` transactions can queue for longer than 2 s.
        await this.txHost.withTransaction({ maxWait: 10_000 }, () =>
          this.events.publish(contract, { itemId }, { tenantId: 'lab', subject: `item-${itemId}`, entityVersion: 1 }),
        );
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Publishes inside a transaction that then fails. */
  async publishThenRollBack(itemId: number): Promise<void> {
    await this.txHost
      .withTransaction(async () => {
        await this.events.publish(itemCreated, { itemId }, { tenantId: 'lab' });
        throw new Error('business rule failed after publishing');
      })
      .catch(() => undefined);
  }
}
