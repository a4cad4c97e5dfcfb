import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventContract, EventData, EventEnvelope, parseEventData } from '@crm/contracts';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../messaging.options';
import { MessageContext } from '../context/message-context';
import { NewOutboxRow, OutboxRepository, OutboxStatement, outboxValues } from './outbox.repository';
import { OutboxRelay } from './outbox-relay';
import type { OutboxMessageValues } from './outbox-table';

export interface PublishMeta {
  tenantId: string;
  /** The entity the event is about (its id). */
  subject?: string;
  /** The entity's version after the change: consumers ignore what is older than what they have. */
  entityVersion?: number;
}

/**
 * Publishes a domain event through the transactional outbox. Called inside the caller's
 * transaction (nestjs-cls `@Transactional()` or `withTransaction`), the event is sent if and
 * only if that transaction commits.
 */
@Injectable()
export class EventPublisher {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly outbox: OutboxRepository,
    private readonly context: MessageContext,
    private readonly relay: OutboxRelay,
  ) {}

  async publish<C extends EventContract>(contract: C, data: EventData<C>, meta: PublishMeta): Promise<EventEnvelope> {
    const { envelope, row } = this.outboxRow(contract, data, meta);
    await this.outbox.add(row);
    this.relay.nudgeSoon();
    return envelope;
  }

  /**
   * The caller's writes and the outbox row in one statement: atomic without an interactive
   * transaction, which costs about 1 ms of CPU more than one statement (its round trips), and a
   * transaction's connection for as long. `write` runs that statement, composed with the
   * service's typed query builder from the outbox row's values:
   * `db.with('new_item', (q) => q.insertInto('item').values(item)).insertInto('outbox_message').values(outbox).execute()`.
   * Inside a transaction it simply runs in it. The caller builds the event's data from what it writes.
   */
  async publishAlong<C extends EventContract>(
    contract: C,
    data: EventData<C>,
    meta: PublishMeta,
    write: (outbox: OutboxMessageValues) => Promise<unknown>,
  ): Promise<EventEnvelope> {
    const { envelope, row } = this.outboxRow(contract, data, meta);
    // Rows held for the COMMIT (publish) go first: the transaction's client sends them ahead of
    // the next statement, so the events keep the order they were published in.
    await write(outboxValues(row));
    this.relay.nudgeSoon();
    return envelope;
  }

  /**
   * As publishAlong, for a statement whose result the caller does not need: the caller gives the
   * statement (compiled, not run), and inside a transaction on pg it is sent with the COMMIT, in no
   * round trip of its own (`(outbox) => insert(outbox).compile()`). Its failure, a constraint's
   * say, is then the transaction's failure and comes from the commit, not from here: for writes
   * the caller has nothing to answer differently for. Outside a transaction it runs at once.
   */
  async publishWithCommit<C extends EventContract>(
    contract: C,
    data: EventData<C>,
    meta: PublishMeta,
    statement: (outbox: OutboxMessageValues) => OutboxStatement,
  ): Promise<EventEnvelope> {
    const { envelope, row } = this.outboxRow(contract, data, meta);
    await this.outbox.runWithCommit(statement(outboxValues(row)));
    this.relay.nudgeSoon();
    return envelope;
  }

  /**
   * Many events of one contract (a bulk import: one per record), in order, with one outbox
   * insert instead of one per event: the same envelopes and guarantees as `publish` each.
   */
  async publishMany<C extends EventContract>(contract: C, events: { data: EventData<C>; meta: PublishMeta }[]): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    const built = events.map(({ data, meta }) => this.outboxRow(contract, data, meta));
    await this.outbox.addMany(built.map((b) => b.row));
    this.relay.nudgeSoon();
    return built.map((b) => b.envelope);
  }

  private outboxRow<C extends EventContract>(contract: C, data: EventData<C>, meta: PublishMeta): { envelope: EventEnvelope; row: NewOutboxRow } {
    const valid = parseEventData(contract, data);
    const trace = this.context.current();
    const automationDepth = this.context.automationDepth();
    const envelope: EventEnvelope = {
      specversion: '1.0',
      id: randomUUID(),
      source: `crm/${this.options.service}`,
      type: contract.name,
      time: new Date().toISOString(),
      ...(meta.subject !== undefined && { subject: meta.subject }),
      datacontenttype: 'application/json',
      tenantid: meta.tenantId,
      ...(meta.entityVersion !== undefined && { entityversion: meta.entityVersion }),
      correlationid: trace.correlationId,
      ...(automationDepth !== undefined && { automationdepth: automationDepth }),
      traceparent: trace.traceparent,
      data: valid,
    };
    const row: NewOutboxRow = {
      id: envelope.id,
      type: contract.name,
      routingKey: contract.name,
      tenantId: meta.tenantId,
      subject: meta.subject,
      envelope: JSON.stringify(envelope),
      headers: { 'x-correlation-id': trace.correlationId, traceparent: trace.traceparent },
    };
    return { envelope, row };
  }
}
