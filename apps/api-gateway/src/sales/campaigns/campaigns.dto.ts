import { CAMPAIGN_STATUSES, campaignInputSchema, campaignPatchSchema, campaignSegmentSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

/** POST /campaigns: a segment, a marketing template or a sequence, a time (none: a draft) and a rate per minute (default 600). */
export const createCampaignBodySchema = campaignInputSchema;
export type CreateCampaignBody = z.infer<typeof createCampaignBodySchema>;

/** PATCH /campaigns/:id: a draft or scheduled campaign; absent fields stay; a time schedules it, null makes it a draft again. */
export const updateCampaignBodySchema = campaignPatchSchema;
export type UpdateCampaignBody = z.infer<typeof updateCampaignBodySchema>;

/** POST /campaigns/segment-preview: how many contacts a segment matches now, and a few of them. */
export const previewSegmentBodySchema = z.object({ segment: campaignSegmentSchema });
export type PreviewSegmentBody = z.infer<typeof previewSegmentBodySchema>;

/** GET /campaigns: oldest first, optionally of one status. */
export const listCampaignsQuerySchema = z.object({ cursor: z.string().max(512).optional(), limit: queryLimit, status: z.enum(CAMPAIGN_STATUSES).optional() });
export type ListCampaignsQuery = z.infer<typeof listCampaignsQuerySchema>;
