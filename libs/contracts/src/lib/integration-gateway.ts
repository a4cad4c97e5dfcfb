import { z } from 'zod';
import { pageOf, pageRequestSchema } from './contacts';
import { defineCommand, defineEvent, defineQuery } from './define';
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

const apiClientId = z.uuid();
const apiClientVersion = z.number().int().positive();
const apiClientTimestamp = z.iso.datetime({ offset: true });

/**
 * A scope such as `contacts:write` (`<object>:<access>`): the integration gateway knows the valid
 * ones (ERP_SCOPES there) and refuses others with VALIDATION_FAILED naming the field.
 */
export const apiClientScopeSchema = z.string().regex(/^[a-z][a-z-]{0,39}:[a-z]{1,20}$/, 'a scope such as contacts:write');

export const apiClientInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(apiClientScopeSchema).min(1).max(30),
});
export type ApiClientInput = z.infer<typeof apiClientInputSchema>;

/** A secret as lists show it: never the secret itself, only its last characters. */
export const apiClientSecretInfoSchema = z.object({
  id: z.uuid(),
  /** The secret's last 4 characters, to tell secrets apart. */
  hint: z.string(),
  createdAt: apiClientTimestamp,
  /** When a rotated-out secret stops working (null: until the next rotation). */
  expiresAt: apiClientTimestamp.nullable(),
});

export const apiClientSchema = z.object({
  id: apiClientId,
  name: z.string(),
  scopes: z.array(z.string()),
  /** The admin who created it. */
  createdBy: z.string(),
  version: apiClientVersion,
  createdAt: apiClientTimestamp,
  updatedAt: apiClientTimestamp,
  lastUsedAt: apiClientTimestamp.nullable(),
  revokedAt: apiClientTimestamp.nullable(),
  /** The secrets that work now (two during a rotation's grace period). */
  secrets: z.array(apiClientSecretInfoSchema),
});
export type ApiClient = z.infer<typeof apiClientSchema>;

/** The create and rotate replies: the client and its new secret, shown this once (only its hash is stored). */
export const apiClientWithSecretSchema = apiClientSchema.extend({
  /** `crm_sk_` and 43 base64url characters (32 random bytes). The OAuth client_secret; the client_id is `id`. */
  secret: z.string(),
});

export const createApiClient = defineCommand('integration-gateway.api-client.create', 1, {
  request: z.object({ client: apiClientInputSchema }),
  response: apiClientWithSecretSchema,
});
/** Newest first; revoked clients included (revokedAt set). */
export const listApiClients = defineQuery('integration-gateway.api-client.list', 1, {
  request: pageRequestSchema,
  response: pageOf(apiClientSchema),
});
export const getApiClient = defineQuery('integration-gateway.api-client.get', 1, {
  request: z.object({ id: apiClientId }),
  response: apiClientSchema,
});
/** Name and scopes; PRECONDITION_FAILED when `expectedVersion` (If-Match) is not current. A revoked client is NOT_FOUND. */
export const updateApiClient = defineCommand('integration-gateway.api-client.update', 1, {
  request: z.object({ id: apiClientId, expectedVersion: apiClientVersion.optional(), patch: apiClientInputSchema.partial() }),
  response: apiClientSchema,
});
/**
 * A new secret; the previous ones keep working for `graceSeconds` (default
 * ERP_SECRET_ROTATION_GRACE_SECONDS; 0 ends them now), so two are active during a rotation.
 */
export const rotateApiClientSecret = defineCommand('integration-gateway.api-client.rotate-secret', 1, {
  request: z.object({
    id: apiClientId,
    expectedVersion: apiClientVersion.optional(),
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional(),
  }),
  response: apiClientWithSecretSchema,
});
/** Ends the client: its secrets and its live access tokens stop working at once. */
export const revokeApiClient = defineCommand('integration-gateway.api-client.revoke', 1, {
  request: z.object({ id: apiClientId, expectedVersion: apiClientVersion.optional() }),
  response: z.object({ id: apiClientId, revoked: z.literal(true) }),
});

/** Events carry the client as lists show it: never a secret nor its hash. */
export const apiClientCreated = defineEvent('integration-gateway.api-client.created', 1, z.object({ client: apiClientSchema }));
export const apiClientUpdated = defineEvent('integration-gateway.api-client.updated', 1, z.object({ client: apiClientSchema, changed: z.array(z.string()) }));
export const apiClientSecretRotated = defineEvent('integration-gateway.api-client.secret-rotated', 1, z.object({ client: apiClientSchema }));
export const apiClientRevoked = defineEvent('integration-gateway.api-client.revoked', 1, z.object({ clientId: apiClientId, revokedAt: apiClientTimestamp }));

// ---------------------------------------------------------------------------------------------
// Bulk jobs

// ---------------------------------------------------------------------------------------------
// Webhooks

// ---------------------------------------------------------------------------------------------
// Process sync: field ownership, sales orders requested of the ERP, the sync log
