import { z } from 'zod';
import { actorSchema, defineEvent, defineQuery, diagnosticsEcho } from '@crm/contracts';

export const itemCreated = defineEvent('lab.item.created', 1, z.object({ itemId: z.number().int() }));
export const itemPoisoned = defineEvent('lab.item.poisoned', 1, z.object({ itemId: z.number().int() }));
export const LAB_CONSUMER = 'labcon';
export const labEcho = diagnosticsEcho(LAB_CONSUMER);
export const labSlow = defineQuery(`${LAB_CONSUMER}.lab.slow`, 1, {
  request: z.object({ ms: z.number().int().min(0).max(60_000) }),
  response: z.object({ instance: z.string() }),
});
export const labFail = defineQuery(`${LAB_CONSUMER}.lab.fail`, 1, {
  request: z.object({ code: z.enum(['NOT_FOUND', 'CONFLICT', 'CRASH']) }),
  response: z.object({}),
});
/** Answers its items as JSON text written by the handler (JsonReply). */
export const labJsonText = defineQuery(`${LAB_CONSUMER}.lab.json-text`, 1, {
  request: z.object({ items: z.array(z.string()) }),
  response: z.object({ items: z.array(z.string()) }),
});
/** Answers a record at the version asked for, as an object or as JSON text with its version (JsonReply). */
export const labRecord = defineQuery(`${LAB_CONSUMER}.lab.record`, 1, {
  request: z.object({ version: z.number().int().min(1), asText: z.boolean() }),
  response: z.object({ id: z.string(), version: z.number().int() }),
});
/** Answers with the caller the service verified, and the trace its handler runs in. */
export const labWhoAmI = defineQuery(`${LAB_CONSUMER}.lab.who-am-i`, 1, {
  request: z.object({}),
  response: z.object({ actor: actorSchema.optional(), correlationId: z.string(), traceparent: z.string() }),
});
/** Behind a Nest guard that lets through only `{ open: true }` (guards apply to message handlers). */
export const labGuarded = defineQuery(`${LAB_CONSUMER}.lab.guarded`, 1, {
  request: z.object({ open: z.boolean() }),
  response: z.object({ passed: z.literal(true) }),
});
/** Tenant-scoped and for admins only: the transport admits a caller of a tenant holding the role. */
export const labAdminOnly = defineQuery(`${LAB_CONSUMER}.lab.admin-only`, 1, {
  request: z.object({}),
  response: z.object({ tenantId: z.string() }),
});
