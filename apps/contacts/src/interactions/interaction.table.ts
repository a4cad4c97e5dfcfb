import { randomUUID } from 'node:crypto';
import type { RecordColumns } from '@crm/service-kit';
import type { Insertable, Selection } from 'kysely';
import type { DB } from '../generated/kysely/database';

/** An interaction as the service decides it (id, tenant and creation time are the table's). */
export interface InteractionWrite {
  contactId: string;
  channel: string;
  direction: string | null;
  subject: string | null;
  body: string | null;
  occurredAt: Date;
  loggedBy: string;
}

/** The interaction table's select projection: a stored interaction as the service reads it. */
export const INTERACTION_PROJECTION = [
  'interaction.id',
  'interaction.tenant_id as tenantId',
  'interaction.contact_id as contactId',
  'interaction.channel',
  'interaction.direction',
  'interaction.subject',
  'interaction.body',
  'interaction.occurred_at as occurredAt',
  'interaction.logged_by as loggedBy',
  'interaction.created_at as createdAt',
] as const;

export type InteractionRow = Selection<DB, 'interaction', (typeof INTERACTION_PROJECTION)[number]>;

/** The columns a new interaction's record sets, with their types (insertRecords). */
export const INTERACTION_RECORD_COLUMNS = {
  id: 'uuid',
  tenant_id: 'text',
  contact_id: 'uuid',
  channel: 'text',
  direction: 'text',
  subject: 'text',
  body: 'text',
  occurred_at: 'timestamptz',
  logged_by: 'text',
  created_at: 'timestamptz',
} as const satisfies RecordColumns<DB['interaction']>;

/** A new interaction's row, id and time included: the single log and the import insert these (insertRecords). */
export function interactionRecord(tenantId: string, write: InteractionWrite, now: Date) {
  return {
    id: randomUUID(),
    tenant_id: tenantId,
    contact_id: write.contactId,
    channel: write.channel,
    direction: write.direction,
    subject: write.subject,
    body: write.body,
    occurred_at: write.occurredAt,
    logged_by: write.loggedBy,
    created_at: now,
  } satisfies Insertable<DB['interaction']> & Record<keyof typeof INTERACTION_RECORD_COLUMNS, unknown>;
}

/** What the projection reads of a record just inserted: an import batch is not read back. */
export function insertedInteraction(record: ReturnType<typeof interactionRecord>): InteractionRow {
  return {
    id: record.id,
    tenantId: record.tenant_id,
    contactId: record.contact_id,
    channel: record.channel,
    direction: record.direction,
    subject: record.subject,
    body: record.body,
    occurredAt: record.occurred_at,
    loggedBy: record.logged_by,
    createdAt: record.created_at,
  };
}
