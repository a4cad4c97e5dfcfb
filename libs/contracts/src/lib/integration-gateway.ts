import { z } from 'zod';
import { defineEvent } from './define';
import { diagnosticsEcho } from './diagnostics';

/**
 * Messages of the integration gateway (the ERP-facing door): what the API gateway asks of it for
 * tenant admins (API clients, field ownership, the sync log) and the events it publishes. Named
 * `integration-gateway.<entity>.<action>`, defined once here (defineCommand / defineQuery /
 * defineEvent from './define').
 */

/** The diagnostics echo every service answers (probes, benchmarks). */
export const integrationGatewayEcho = diagnosticsEcho('integration-gateway');

// ---------------------------------------------------------------------------------------------
// API clients (machine credentials): created, rotated and revoked by tenant admins through the
// API gateway (/api/v1/integrations/clients).

// ---------------------------------------------------------------------------------------------
// Bulk jobs

// ---------------------------------------------------------------------------------------------
// Webhooks

/**
 * A webhook subscription was switched off after deliveries to it kept failing (its retry schedule
 * ran out): tenant admins are told, and the ERP's owner re-enables it once its endpoint works.
 */
export const integrationGatewayWebhookDisabled = defineEvent(
  'integration-gateway.webhook.disabled',
  1,
  z.object({
    subscriptionId: z.uuid(),
    clientId: z.uuid(),
    url: z.string(),
    reason: z.string(),
    failedInARow: z.number().int().nonnegative(),
    disabledAt: z.iso.datetime({ offset: true }),
  }),
);

// ---------------------------------------------------------------------------------------------
// Process sync: field ownership, sales orders requested of the ERP, the sync log
