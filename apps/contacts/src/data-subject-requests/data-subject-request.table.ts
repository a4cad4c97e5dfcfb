import type { Selection } from 'kysely';
import type { DB } from '../generated/kysely/database';

/** The data_subject_request table's select projection: a recorded request as the service reads it. */
export const DATA_SUBJECT_REQUEST_PROJECTION = [
  'data_subject_request.id',
  'data_subject_request.tenant_id as tenantId',
  'data_subject_request.kind',
  'data_subject_request.contact_id as contactId',
  'data_subject_request.requested_by as requestedBy',
  'data_subject_request.requested_at as requestedAt',
] as const;

export type DataSubjectRequestRow = Selection<DB, 'data_subject_request', (typeof DATA_SUBJECT_REQUEST_PROJECTION)[number]>;
