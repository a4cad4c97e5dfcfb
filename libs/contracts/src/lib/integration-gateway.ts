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

// ---------------------------------------------------------------------------------------------
// Process sync: field ownership, sales orders requested of the ERP, the sync log
