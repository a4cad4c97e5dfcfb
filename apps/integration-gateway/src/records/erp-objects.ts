import {
  deleteCompaniesByExternalId,
  deleteContactsByExternalId,
  externalIdSchema,
  externalSystemSchema,
  getCompanyByExternalId,
  getContactByExternalId,
  upsertCompaniesByExternalId,
  upsertContactsByExternalId,
  upsertOrdersByExternalId,
  upsertProductsByExternalId,
  deleteProductsByExternalId,
  getProductByExternalId,
  getOrderByExternalId,
  validationFailed,
  type RpcContract,
} from '@crm/contracts';
import { z } from 'zod';
import type { ErpScope } from '../erp-auth/erp-client';

export const ERP_OBJECTS = ['contacts', 'companies', 'products', 'orders'] as const;
export type ErpObject = (typeof ERP_OBJECTS)[number];

/** What the routes of one object call in its owning service, and the scopes they need (absent: no such route for it yet). */
export interface ErpObjectRoutes {
  writeScope: ErpScope;
  readScope?: ErpScope;
  upsert: RpcContract;
  remove?: RpcContract;
  get?: RpcContract;
}

/** contacts and companies live in the contacts service, products and orders in sales-automation. */
export const ERP_OBJECT_ROUTES: Record<ErpObject, ErpObjectRoutes> = {
  contacts: {
    writeScope: 'contacts:write',
    readScope: 'contacts:read',
    upsert: upsertContactsByExternalId,
    remove: deleteContactsByExternalId,
    get: getContactByExternalId,
  },
  // The contacts service owns companies too: reading them is contacts:read.
  companies: {
    writeScope: 'companies:write',
    readScope: 'contacts:read',
    upsert: upsertCompaniesByExternalId,
    remove: deleteCompaniesByExternalId,
    get: getCompanyByExternalId,
  },
  // No read scopes of their own: a client that writes the catalogue or the orders may read them back.
  products: { writeScope: 'products:write', readScope: 'products:write', upsert: upsertProductsByExternalId, remove: deleteProductsByExternalId, get: getProductByExternalId },
  // Orders are not deleted by the ERP: a cancelled or refunded order keeps its history (status by upsert).
  orders: { writeScope: 'orders:write', readScope: 'orders:write', upsert: upsertOrdersByExternalId, get: getOrderByExternalId },
};

const recordKeySchema = z.object({
  object: z.enum(ERP_OBJECTS),
  system: externalSystemSchema,
  externalId: externalIdSchema,
});
export type RecordKey = z.infer<typeof recordKeySchema>;

/** The path's object, system and external id, checked (VALIDATION_FAILED naming the bad ones). */
export function recordKey(params: { object: string; system: string; externalId: string }): RecordKey {
  const checked = recordKeySchema.safeParse(params);
  if (!checked.success) throw validationFailed(checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code })));
  return checked.data;
}

/** The record body: a JSON object of the object's fields (the service validates them). */
export const recordBodySchema = z.record(z.string(), z.unknown());
