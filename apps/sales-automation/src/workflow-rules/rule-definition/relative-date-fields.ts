import type { RULE_RECORD_TYPES } from '@crm/contracts';

/** The date fields a relative-date trigger may name, per record, with their table and column (the minute job's query). */
export const RELATIVE_DATE_FIELDS: Record<(typeof RULE_RECORD_TYPES)[number], Record<string, string>> = {
  deal: { expectedCloseDate: 'expected_close_date', createdAt: 'created_at' },
  task: { dueAt: 'due_at', reminderAt: 'reminder_at', createdAt: 'created_at' },
  order: { purchasedAt: 'purchased_at', createdAt: 'created_at' },
  lead: { createdAt: 'created_at' },
};
