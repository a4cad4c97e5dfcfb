import { Injectable } from '@nestjs/common';
import type { CampaignSegment } from '@crm/contracts';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { CreatedAfter } from '../shared/sales-cursors';
import { CampaignRow, NO_COUNTS, RecipientCounts, RecipientRow } from './campaign.mapper';
import { segmentCondition } from './segment/segment-filter';

export interface NewCampaign {
  id: string;
  name: string;
  segment: CampaignSegment;
  contentKind: 'template' | 'sequence';
  contentId: string;
  scheduledAt: Date | null;
  ratePerMinute: number;
  status: 'draft' | 'scheduled';
}

export type CampaignChanges = Partial<Omit<NewCampaign, 'id' | 'status'> & { status: string; errorCode: string | null; finishedAt: Date }>;

/** A recipient as the runner takes it, with what its campaign sends. */
export type ClaimedRecipient = RecipientRow & { content_kind: string; content_id: string };

export interface RecipientOutcome {
  campaignId: string;
  contactId: string;
  status: 'sent' | 'enrolled' | 'skipped' | 'failed';
  detail: Record<string, unknown>;
}

const json = (value: unknown) => sql<unknown>`${JSON.stringify(value ?? null)}::jsonb`;

/** Campaigns and their recipients, tenant-scoped in every statement a user's call reaches. */
@Injectable()
export class CampaignRepository {
  constructor(private readonly db: Database) {}

  async insert(tenantId: string, campaign: NewCampaign, at: Date): Promise<CampaignRow> {
    return this.db
      .insertInto('campaign')
      .values({
        id: campaign.id,
        tenant_id: tenantId,
        name: campaign.name,
        segment: json(campaign.segment),
        content_kind: campaign.contentKind,
        content_id: campaign.contentId,
        scheduled_at: campaign.scheduledAt,
        rate_per_minute: campaign.ratePerMinute,
        status: campaign.status,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  find(tenantId: string, id: string): Promise<CampaignRow | undefined> {
    return this.db.selectFrom('campaign').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  list(tenantId: string, filter: { status?: string; after?: CreatedAfter }, limit: number): Promise<CampaignRow[]> {
    let select = this.db.selectFrom('campaign').selectAll().where('tenant_id', '=', tenantId);
    if (filter.status) select = select.where('status', '=', filter.status);
    const after = filter.after;
    if (after) {
      select = select.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    }
    return select
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit + 1)
      .execute();
  }

  /** The change when the campaign is still at `version` (else undefined: someone changed it meanwhile). */
  update(tenantId: string, id: string, version: number, changes: CampaignChanges, at: Date): Promise<CampaignRow | undefined> {
    return this.db
      .updateTable('campaign')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.segment !== undefined && { segment: json(changes.segment) }),
        ...(changes.contentKind !== undefined && { content_kind: changes.contentKind }),
        ...(changes.contentId !== undefined && { content_id: changes.contentId }),
        ...(changes.scheduledAt !== undefined && { scheduled_at: changes.scheduledAt }),
        ...(changes.ratePerMinute !== undefined && { rate_per_minute: changes.ratePerMinute }),
        ...(changes.status !== undefined && { status: changes.status }),
        ...(changes.errorCode !== undefined && { error_code: changes.errorCode }),
        ...(changes.finishedAt !== undefined && { finished_at: changes.finishedAt }),
        version: sql`version + 1`,
        updated_at: at,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }

  /** What became of each campaign's recipients so far. */
  async counts(campaignIds: readonly string[]): Promise<Map<string, RecipientCounts>> {
    const counts = new Map<string, RecipientCounts>();
    if (!campaignIds.length) return counts;
    const rows = await this.db
      .selectFrom('campaign_recipient')
      .select(['campaign_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('campaign_id', 'in', [...campaignIds])
      .where('status', '!=', 'pending')
      .groupBy(['campaign_id', 'status'])
      .execute();
    for (const row of rows) {
      const entry = counts.get(row.campaign_id) ?? { ...NO_COUNTS };
      entry[row.status as keyof RecipientCounts] = Number(row.n);
      counts.set(row.campaign_id, entry);
    }
    return counts;
  }

  /** How many live contacts the segment matches now, and the first few. */
  async matching(
    tenantId: string,
    segment: CampaignSegment,
    now: Date,
    sample: number,
  ): Promise<{ count: number; sample: { id: string; email: string | null }[] }> {
    const where = segmentCondition(tenantId, segment, now);
    const [count, first] = await Promise.all([
      sql<{ n: string }>`
        SELECT count(*) AS n FROM contact_copy c
        LEFT JOIN email_consent ec ON ec.tenant_id = c.tenant_id AND ec.contact_id = c.id
        WHERE ${where}`.execute(this.db),
      sql<{ id: string; email: string | null }>`
        SELECT c.id, c.email FROM contact_copy c
        LEFT JOIN email_consent ec ON ec.tenant_id = c.tenant_id AND ec.contact_id = c.id
        WHERE ${where} ORDER BY c.id LIMIT ${sample}`.execute(this.db),
    ]);
    return { count: Number(count.rows[0]?.n ?? 0), sample: first.rows };
  }

  /** Scheduled campaigns whose time has come, now `sending` (taken by one replica: SKIP LOCKED). */
  async launchDue(now: Date, limit: number): Promise<CampaignRow[]> {
    const result = await sql<CampaignRow>`
      UPDATE campaign c SET status = 'sending', started_at = ${now}, version = c.version + 1, updated_at = ${now}
      FROM (
        SELECT id FROM campaign WHERE status = 'scheduled' AND scheduled_at <= ${now}
        ORDER BY scheduled_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
      ) due
      WHERE c.id = due.id
      RETURNING c.*`.execute(this.db);
    return result.rows;
  }

  /**
   * The segment resolved once into recipients, each due at its place in the rate (the i-th at
   * start + i × 60 s / rate). Answers how many; the campaign's `recipients` is set to it.
   */
  async insertRecipients(campaign: CampaignRow, start: Date): Promise<number> {
    const where = segmentCondition(campaign.tenant_id, campaign.segment as CampaignSegment, start);
    const spacingMs = 60_000 / campaign.rate_per_minute;
    // Counted by a select over the insert: a raw statement in a transaction answers rows, not a row count.
    const inserted = await sql<{ n: string }>`
      WITH inserted AS (
        INSERT INTO campaign_recipient (tenant_id, campaign_id, contact_id, status, due_at)
        SELECT c.tenant_id, ${campaign.id}::uuid, c.id, 'pending',
          ${start}::timestamptz + (row_number() OVER (ORDER BY c.id) - 1) * ${spacingMs}::float8 * interval '1 millisecond'
        FROM contact_copy c
        LEFT JOIN email_consent ec ON ec.tenant_id = c.tenant_id AND ec.contact_id = c.id
        WHERE ${where}
        ON CONFLICT DO NOTHING
        RETURNING 1
      )
      SELECT count(*) AS n FROM inserted`.execute(this.db);
    const count = Number(inserted.rows[0]?.n ?? 0);
    await this.db.updateTable('campaign').set({ recipients: count }).where('id', '=', campaign.id).execute();
    return count;
  }

  /** Due recipients of sending campaigns, leased to this runner until `leaseUntil` (a crashed runner's are taken again after it). */
  async claimRecipients(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedRecipient[]> {
    const result = await sql<ClaimedRecipient>`
      WITH due AS (
        SELECT r.campaign_id, r.contact_id FROM campaign_recipient r
        WHERE r.status = 'pending' AND r.due_at <= ${now} AND (r.lease_until IS NULL OR r.lease_until < ${now})
        ORDER BY r.due_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE campaign_recipient r SET lease_until = ${leaseUntil}
      FROM due, campaign c
      WHERE r.campaign_id = due.campaign_id AND r.contact_id = due.contact_id AND c.id = r.campaign_id AND c.status = 'sending'
      RETURNING r.*, c.content_kind, c.content_id`.execute(this.db);
    return result.rows;
  }

  /** The batch's outcomes in one statement; a recipient no longer pending (cancelled meanwhile) is left as it is. */
  async complete(outcomes: readonly RecipientOutcome[], at: Date): Promise<void> {
    if (!outcomes.length) return;
    await sql`
      UPDATE campaign_recipient r SET status = o.status, detail = o.detail, done_at = ${at}, lease_until = NULL
      FROM unnest(${outcomes.map((o) => o.campaignId)}::uuid[], ${outcomes.map((o) => o.contactId)}::uuid[],
                  ${outcomes.map((o) => o.status)}::text[], ${outcomes.map((o) => JSON.stringify(o.detail))}::jsonb[])
        AS o(campaign_id, contact_id, status, detail)
      WHERE r.campaign_id = o.campaign_id AND r.contact_id = o.contact_id AND r.status = 'pending'`.execute(this.db);
  }

  /** Sending campaigns with no recipient left pending: now `sent`. */
  async finishDone(now: Date): Promise<CampaignRow[]> {
    const result = await sql<CampaignRow>`
      UPDATE campaign c SET status = 'sent', finished_at = ${now}, version = c.version + 1, updated_at = ${now}
      WHERE c.status = 'sending' AND NOT EXISTS (SELECT 1 FROM campaign_recipient r WHERE r.campaign_id = c.id AND r.status = 'pending')
      RETURNING c.*`.execute(this.db);
    return result.rows;
  }

  /** A cancelled campaign's recipients not reached yet get nothing. */
  async skipPending(campaignId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('campaign_recipient')
      .set({ status: 'skipped', detail: json({ reason: 'cancelled' }), done_at: at, lease_until: null })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .execute();
  }

  async deleteRecipientsOf(tenantId: string, contactId: string): Promise<void> {
    await this.db.deleteFrom('campaign_recipient').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
  }

  /** The merged contact's places in campaigns become the survivor's, unless the survivor has one in that campaign already. */
  async moveRecipients(tenantId: string, mergedId: string, survivorId: string): Promise<void> {
    await sql`
      UPDATE campaign_recipient r SET contact_id = ${survivorId}::uuid
      WHERE r.tenant_id = ${tenantId} AND r.contact_id = ${mergedId}::uuid
        AND NOT EXISTS (SELECT 1 FROM campaign_recipient s WHERE s.campaign_id = r.campaign_id AND s.contact_id = ${survivorId}::uuid)`.execute(this.db);
    await this.deleteRecipientsOf(tenantId, mergedId);
  }

  /** The live template (its purpose) or sequence (whether enabled) of the tenant, if it exists. */
  async contentExists(tenantId: string, kind: 'template' | 'sequence', id: string): Promise<{ purpose?: string; enabled?: boolean } | undefined> {
    if (kind === 'template') {
      return this.db
        .selectFrom('email_template')
        .select('purpose')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
    }
    return this.db
      .selectFrom('sequence')
      .select('enabled')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }
}
