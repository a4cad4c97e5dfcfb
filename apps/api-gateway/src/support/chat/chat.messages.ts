import { z } from 'zod';

/** What a chat socket may send (`{ "event": ..., "data": ... }`), each validated before anything runs. */
export const chatSocketMessages = {
  /** A portal customer opens a chat (a new ticket). */
  start: z.object({ subject: z.string().trim().min(1).max(500) }),
  /** Either side (re)joins a chat and gets it with what was said so far. */
  join: z.object({ chatId: z.uuid() }),
  say: z.object({ chatId: z.uuid(), body: z.string().trim().min(1).max(10_000) }),
  end: z.object({ chatId: z.uuid() }),
} as const;

/** A refusal sent back on the socket: a stable code, the message it answers, and the fields at fault. */
export interface ChatSocketError {
  event: 'error';
  data: { code: string; message: string; request: string; errors?: { field: string; message: string }[] };
}

export function invalidMessage(request: string, error: z.ZodError): ChatSocketError {
  const errors = error.issues.map((issue) => ({ field: issue.path.join('.') || '(data)', message: issue.message }));
  return { event: 'error', data: { code: 'VALIDATION_FAILED', message: errors.map((e) => `${e.field}: ${e.message}`).join('; '), request, errors } };
}
