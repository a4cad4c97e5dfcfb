import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { TicketListPosition } from './list-tickets/ticket-cursor';
import { TicketAttachmentRow, TicketMessageRow, TicketRow } from './ticket.mapper';

export interface NewTicket {
  id: string;
  subject: string;
  requesterId: string | null;
  channel: string;
  status: string;
  priority: string;
  groupId: string | null;
  assigneeId: string | null;
  tags: string[];
  /** Values of the tenant's ticket fields, already checked (TicketFieldValues). */
  customFields?: Record<string, unknown>;
  /** Email tickets: who wrote, to which mailbox, and the token of the reply-to address. */
  requesterEmail?: string | null;
  requesterName?: string | null;
  mailbox?: string | null;
  replyToken?: string | null;
}

export interface NewTicketMessage {
  id: string;
  ticketId: string;
  kind: string;
  authorType: string;
  authorId: string | null;
  body: string;
  /** The Message-ID it came in or goes out as. */
  emailMessageId?: string | null;
}

export type TicketChanges = Partial<{
  subject: string;
  status: string;
  priority: string;
  groupId: string | null;
  assigneeId: string | null;
  tags: string[];
  solvedAt: Date | null;
  customFields: Record<string, unknown>;
}>;

export interface TicketFilter {
  status?: string;
  assigneeId?: string;
  groupId?: string;
  requesterId?: string;
}

/** Tickets and their threads, tenant-scoped in every statement. */
@Injectable()
export class TicketRepository {
  constructor(private readonly db: Database) {}

  /** The tenant's next ticket number (a row per tenant, locked by the update until the transaction ends). */
  async nextNumber(tenantId: string): Promise<number> {
    const { rows } = await sql<{ last: number }>`
      INSERT INTO ticket_counter (tenant_id, last) VALUES (${tenantId}, 1)
      ON CONFLICT (tenant_id) DO UPDATE SET last = ticket_counter.last + 1
      RETURNING last`.execute(this.db);
    return rows[0].last;
  }

  insert(tenantId: string, ticket: NewTicket & { number: number }, at: Date): Promise<TicketRow> {
    return this.db
      .insertInto('ticket')
      .values({
        id: ticket.id,
        tenant_id: tenantId,
        number: ticket.number,
        subject: ticket.subject,
        requester_id: ticket.requesterId,
        channel: ticket.channel,
        status: ticket.status,
        priority: ticket.priority,
        group_id: ticket.groupId,
        assignee_id: ticket.assigneeId,
        tags: ticket.tags,
        custom_fields: JSON.stringify(ticket.customFields ?? {}),
        requester_email: ticket.requesterEmail ?? null,
        requester_name: ticket.requesterName ?? null,
        mailbox: ticket.mailbox ?? null,
        reply_token: ticket.replyToken ?? null,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  find(tenantId: string, id: string): Promise<TicketRow | undefined> {
    return this.db.selectFrom('ticket').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  /**
   * The ticket, locked until the transaction ends: a read-then-write path (reply, change, assign)
   * then writes on the version it read, after any concurrent writer (another agent, the requester
   * link), instead of failing as changed meanwhile.
   */
  lock(tenantId: string, id: string): Promise<TicketRow | undefined> {
    return this.db.selectFrom('ticket').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** The tickets, locked until the transaction ends, in id order (two transactions locking the same ones never wait on each other in a cycle). */
  lockMany(tenantId: string, ids: string[]): Promise<TicketRow[]> {
    return this.db.selectFrom('ticket').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).orderBy('id').forUpdate().execute();
  }

  /** A ticket the transaction holds (found before, or just written). */
  async get(tenantId: string, id: string): Promise<TicketRow> {
    const row = await this.find(tenantId, id);
    if (!row) throw new Error(`ticket ${id} vanished within its own transaction`);
    return row;
  }

  /** The tenant's first support mailbox: tickets opened outside email are answered through it. */
  firstMailbox(tenantId: string): Promise<{ address: string; group_id: string | null } | undefined> {
    return this.db.selectFrom('inbound_mailbox').select(['address', 'group_id']).where('tenant_id', '=', tenantId).orderBy('created_at').limit(1).executeTakeFirst();
  }

  /** The change applies only at `version` (undefined: someone changed it meanwhile); the version moves on. */
  update(tenantId: string, id: string, version: number, changes: TicketChanges, at: Date): Promise<TicketRow | undefined> {
    return this.db
      .updateTable('ticket')
      .set({
        ...(changes.subject !== undefined && { subject: changes.subject }),
        ...(changes.status !== undefined && { status: changes.status }),
        ...(changes.priority !== undefined && { priority: changes.priority }),
        ...(changes.groupId !== undefined && { group_id: changes.groupId }),
        ...(changes.assigneeId !== undefined && { assignee_id: changes.assigneeId }),
        ...(changes.tags !== undefined && { tags: changes.tags }),
        ...(changes.solvedAt !== undefined && { solved_at: changes.solvedAt }),
        ...(changes.customFields !== undefined && { custom_fields: JSON.stringify(changes.customFields) }),
        version: sql`version + 1`,
        updated_at: at,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * The source's messages and attachments become the target's, and the source is closed as merged
   * into it (its version moves on; undefined: it changed meanwhile).
   */
  async mergeInto(tenantId: string, source: TicketRow, targetId: string, at: Date): Promise<TicketRow | undefined> {
    await this.db.updateTable('ticket_message').set({ ticket_id: targetId }).where('tenant_id', '=', tenantId).where('ticket_id', '=', source.id).execute();
    await this.db.updateTable('ticket_attachment').set({ ticket_id: targetId }).where('tenant_id', '=', tenantId).where('ticket_id', '=', source.id).execute();
    return this.db
      .updateTable('ticket')
      .set({ status: 'closed', merged_into_id: targetId, version: sql`version + 1`, updated_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', source.id)
      .where('version', '=', source.version)
      .returningAll()
      .executeTakeFirst();
  }

  /** Newest first, or by SLA due time (none last); `after` is the last row of the previous page. */
  list(tenantId: string, filter: TicketFilter, sort: TicketListPosition['sort'], after: TicketListPosition | undefined, limit: number): Promise<TicketRow[]> {
    let select = this.db.selectFrom('ticket').selectAll().where('tenant_id', '=', tenantId);
    if (filter.status) select = select.where('status', '=', filter.status);
    if (filter.assigneeId) select = select.where('assignee_id', '=', filter.assigneeId);
    if (filter.groupId) select = select.where('group_id', '=', filter.groupId);
    if (filter.requesterId) select = select.where('requester_id', '=', filter.requesterId);
    if (sort === 'slaDueAt') {
      if (after?.sort === 'slaDueAt') {
        const { slaDueAt, id } = after;
        select = select.where((eb) =>
          slaDueAt === null
            ? eb.and([eb('sla_due_at', 'is', null), eb('id', '>', id)])
            : eb.or([eb('sla_due_at', '>', slaDueAt), eb.and([eb('sla_due_at', '=', slaDueAt), eb('id', '>', id)]), eb('sla_due_at', 'is', null)]),
        );
      }
      // ASC NULLS LAST is the index's own order: (tenant, group, status, sla_due_at, id).
      return select.orderBy('sla_due_at', 'asc').orderBy('id', 'asc').limit(limit + 1).execute();
    }
    if (after?.sort === '-createdAt') {
      const { createdAt, id } = after;
      select = select.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
    }
    return select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** An email's message, unless one with its Message-ID is already in the tenant's tickets (undefined: a duplicate). */
  insertEmailMessage(tenantId: string, message: NewTicketMessage & { emailMessageId: string }, at: Date): Promise<TicketMessageRow | undefined> {
    return this.insertMessageQuery(tenantId, message, at)
      .onConflict((oc) => oc.columns(['tenant_id', 'email_message_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  insertMessage(tenantId: string, message: NewTicketMessage, at: Date): Promise<TicketMessageRow> {
    return this.insertMessageQuery(tenantId, message, at).returningAll().executeTakeFirstOrThrow();
  }

  private insertMessageQuery(tenantId: string, message: NewTicketMessage, at: Date) {
    return this.db.insertInto('ticket_message').values({
      id: message.id,
      tenant_id: tenantId,
      ticket_id: message.ticketId,
      kind: message.kind,
      author_type: message.authorType,
      author_id: message.authorId,
      body: message.body,
      email_message_id: message.emailMessageId ?? null,
      created_at: at,
    });
  }

  messages(tenantId: string, ticketId: string): Promise<TicketMessageRow[]> {
    return this.db
      .selectFrom('ticket_message')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  attachment(tenantId: string, ticketId: string, id: string): Promise<TicketAttachmentRow | undefined> {
    return this.db.selectFrom('ticket_attachment').selectAll().where('tenant_id', '=', tenantId).where('ticket_id', '=', ticketId).where('id', '=', id).executeTakeFirst();
  }

  attachments(tenantId: string, ticketId: string): Promise<TicketAttachmentRow[]> {
    return this.db.selectFrom('ticket_attachment').selectAll().where('tenant_id', '=', tenantId).where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute();
  }

  async insertAttachments(
    tenantId: string,
    attachments: { id: string; ticketId: string; messageId: string; filename: string; contentType: string; size: number; inline: boolean; storageKey: string }[],
    at: Date,
  ): Promise<TicketAttachmentRow[]> {
    if (!attachments.length) return [];
    return this.db
      .insertInto('ticket_attachment')
      .values(
        attachments.map((a) => ({
          id: a.id,
          tenant_id: tenantId,
          ticket_id: a.ticketId,
          message_id: a.messageId,
          filename: a.filename,
          content_type: a.contentType,
          size: a.size,
          inline: a.inline,
          storage_key: a.storageKey,
          created_at: at,
        })),
      )
      .returningAll()
      .execute();
  }
}
