import type { Selectable } from 'kysely';
import type { Campaign, CampaignSegment } from '@crm/contracts';
import type { Campaign as CampaignTable, CampaignRecipient as RecipientTable } from '../generated/kysely/database';

export type CampaignRow = Selectable<CampaignTable>;
export type RecipientRow = Selectable<RecipientTable>;
/** What became of a campaign's recipients so far, by status. */
export type RecipientCounts = Record<'sent' | 'enrolled' | 'skipped' | 'failed', number>;

export const NO_COUNTS: RecipientCounts = { sent: 0, enrolled: 0, skipped: 0, failed: 0 };

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function toCampaign(row: CampaignRow, counts: RecipientCounts = NO_COUNTS): Campaign {
  return {
    id: row.id,
    name: row.name,
    segment: row.segment as CampaignSegment,
    content: row.content_kind === 'sequence' ? { kind: 'sequence', sequenceId: row.content_id } : { kind: 'template', templateId: row.content_id },
    scheduledAt: iso(row.scheduled_at),
    ratePerMinute: row.rate_per_minute,
    status: row.status as Campaign['status'],
    counts: { recipients: row.recipients, ...counts },
    errorCode: row.error_code,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    version: row.version,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
  };
}
