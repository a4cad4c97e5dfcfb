import { z } from 'zod';
import { defineCommand, defineQuery } from './define';

/**
 * Messages of the analytics service: read-only figures derived from the other services' events.
 * Every figure is scoped to the caller's tenant (the actor).
 */

const count = z.number().int().nonnegative();
const timestamp = z.iso.datetime({ offset: true });

/**
 * Active contacts (not deleted, merged or erased) by lifecycle stage, active companies, and the
 * interactions logged in the window. The window is counted in whole UTC days: today and the
 * `windowDays - 1` days before it.
 */
export const getAnalyticsSummary = defineQuery('analytics.summary.get', 1, {
  request: z.object({ windowDays: z.number().int().min(1).max(365).default(30) }),
  response: z.object({
    contacts: z.object({
      total: count,
      byLifecycleStage: z.object({ lead: count, prospect: count, customer: count, churned: count }),
    }),
    companies: z.object({ total: count }),
    interactions: z.object({
      windowDays: z.number().int(),
      total: count,
      byChannel: z.object({ call: count, email: count, meeting: count, chat: count, note: count }),
    }),
    /** When the figures were read. */
    asOf: timestamp,
    /** When the latest event behind them happened (null: none yet). */
    lastEventAt: timestamp.nullable(),
  }),
});
export type AnalyticsSummary = z.infer<typeof getAnalyticsSummary.response>;

/** Throws away the caller's tenant's read models and replays them from the event log (admin only). */
export const rebuildAnalyticsReadModels = defineCommand('analytics.read-model.rebuild', 1, {
  request: z.object({}),
  response: z.object({ tenants: count, events: count }),
});
