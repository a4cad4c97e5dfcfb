import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import type { ChatLine as ChatLineTable, ChatSession as ChatSessionTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type ChatSessionRow = Selectable<ChatSessionTable> & { ticket_number: number };
export type ChatLineRow = Selectable<ChatLineTable>;

/** Live chats and their lines, tenant-scoped in every statement. */
@Injectable()
export class ChatRepository {
  constructor(private readonly db: Database) {}

  async insert(tenantId: string, chat: { id: string; ticketId: string; customerEmail: string }, at: Date): Promise<void> {
    await this.db
      .insertInto('chat_session')
      .values({ id: chat.id, tenant_id: tenantId, ticket_id: chat.ticketId, customer_email: chat.customerEmail, status: 'waiting', started_at: at })
      .execute();
  }

  find(tenantId: string, id: string): Promise<ChatSessionRow | undefined> {
    return this.db
      .selectFrom('chat_session as c')
      .innerJoin('ticket as t', (join) => join.onRef('t.id', '=', 'c.ticket_id').onRef('t.tenant_id', '=', 'c.tenant_id'))
      .selectAll('c')
      .select('t.number as ticket_number')
      .where('c.tenant_id', '=', tenantId)
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  /** A chat the transaction just wrote (it is there). */
  async get(tenantId: string, id: string): Promise<ChatSessionRow> {
    const row = await this.find(tenantId, id);
    if (!row) throw new Error(`chat ${id} vanished within its own transaction`);
    return row;
  }

  /** The first agent to speak takes a waiting chat. */
  async take(tenantId: string, id: string, agentId: string): Promise<void> {
    await this.db.updateTable('chat_session').set({ agent_id: agentId, status: 'active' }).where('tenant_id', '=', tenantId).where('id', '=', id).where('status', '=', 'waiting').execute();
  }

  /** Ends a chat that has not ended (false: it had, or a concurrent end won). */
  async end(tenantId: string, id: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('chat_session')
      .set({ status: 'ended', ended_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '!=', 'ended')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  insertLine(tenantId: string, line: { id: string; chatId: string; authorType: string; authorId: string; body: string }, at: Date): Promise<ChatLineRow> {
    return this.db
      .insertInto('chat_line')
      .values({ id: line.id, tenant_id: tenantId, chat_id: line.chatId, author_type: line.authorType, author_id: line.authorId, body: line.body, created_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  lines(tenantId: string, chatId: string): Promise<ChatLineRow[]> {
    return this.db.selectFrom('chat_line').selectAll().where('tenant_id', '=', tenantId).where('chat_id', '=', chatId).orderBy('created_at').orderBy('id').execute();
  }
}
