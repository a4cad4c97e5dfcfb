import type { AutomationEvent } from '../../automation-ports/automation-events';

/** What triggered a run: an event (its envelope id), a schedule tick or a record's date. */
export interface RunTrigger {
  /** With the rule: what makes the run happen once (envelope id, `schedule:<time>`, `relative:<record>:<date>`). */
  id: string;
  type: string;
  tenantId: string;
  time: string;
  data: Record<string, unknown>;
  /** How many automation steps led to the trigger (0 for a user's act, a schedule, a date). */
  automationDepth: number;
}

export const RECORD_KINDS = ['order', 'deal', 'lead', 'task', 'contact', 'company', 'product', 'interaction'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** What a condition and the actions see: the event, and the record it is about (the event data's entity). */
export interface RunContext {
  event: { id: string; type: string; time: string; data: Record<string, unknown> };
  record: Record<string, unknown> | null;
  recordKind: RecordKind | null;
}

export function triggerOf(event: AutomationEvent): RunTrigger {
  return { id: event.id, type: event.type, tenantId: event.tenantId, time: event.time, data: event.data, automationDepth: event.automationDepth ?? 0 };
}

/** The record an event is about: its data's entity (`{ order }`, `{ deal }`...), the first one found. */
export function contextOf(trigger: Pick<RunTrigger, 'id' | 'type' | 'time' | 'data'>): RunContext {
  const event = { id: trigger.id, type: trigger.type, time: trigger.time, data: trigger.data };
  for (const kind of RECORD_KINDS) {
    const value = trigger.data[kind];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { event, record: value as Record<string, unknown>, recordKind: kind };
  }
  return { event, record: null, recordKind: null };
}

/** The contact a mail or an enrolment is for: the record's contact, or the record when it is a contact. */
export function contactIdOf(context: RunContext): string | undefined {
  const record = context.record;
  if (!record) return undefined;
  if (context.recordKind === 'contact') return typeof record['id'] === 'string' ? record['id'] : undefined;
  const contactId = record['contactId'];
  return typeof contactId === 'string' ? contactId : undefined;
}
