/**
 * What an ERP client's access token may do. A route names the one scope it needs
 * (@RequireScope); a bulk job or upsert needs the write scope of its object.
 */
export const ERP_SCOPES = [
  'contacts:read',
  'contacts:write',
  'companies:write',
  'products:write',
  'orders:write',
  'deals:write',
  'changes:read',
  'webhooks:manage',
  'sync-log:read',
] as const;
export type ErpScope = (typeof ERP_SCOPES)[number];

/** The machine caller of an /erp route, from its verified access token. */
export interface ErpClient {
  tenantId: string;
  clientId: string;
  scopes: readonly ErpScope[];
}
