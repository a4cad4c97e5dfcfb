import { Chat, ChatLine, ChatParticipant, DomainError } from '@crm/contracts';
import type { ChatLineRow, ChatSessionRow } from './chat.repository';
import { isoTimestamp as iso } from '@crm/service-kit';


export function toChat(row: ChatSessionRow): Chat {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    ticketNumber: row.ticket_number,
    customerEmail: row.customer_email,
    agentId: row.agent_id,
    status: row.status as Chat['status'],
    startedAt: iso(row.started_at),
    endedAt: row.ended_at && iso(row.ended_at),
  };
}

export function toChatLine(row: ChatLineRow): ChatLine {
  return { id: row.id, chatId: row.chat_id, authorType: row.author_type as ChatLine['authorType'], authorId: row.author_id, body: row.body, createdAt: iso(row.created_at) };
}

export const chatNotFound = (id: string) => new DomainError('NOT_FOUND', `chat ${id} not found.`);

/** A customer sees only their own chats (another's answers as a missing one); any agent of the tenant may join. */
export function checkParticipant(chat: ChatSessionRow | undefined, id: string, participant: ChatParticipant): ChatSessionRow {
  if (!chat || (participant.type === 'customer' && chat.customer_email !== participant.email)) throw chatNotFound(id);
  return chat;
}

/** The transcript kept on the ticket: one line per thing said, with its time (UTC) and who said it. */
export function transcriptOf(chat: ChatSessionRow, lines: ChatLineRow[]): string {
  const said = lines.map((l) => `[${iso(l.created_at).slice(11, 19)}] ${l.author_type === 'customer' ? 'Customer' : `Agent ${l.author_id}`}: ${l.body}`);
  return [`Chat transcript (${iso(chat.started_at).slice(0, 10)}, ${lines.length} lines)`, '', ...(said.length ? said : ['(nothing was said)'])].join('\n');
}
