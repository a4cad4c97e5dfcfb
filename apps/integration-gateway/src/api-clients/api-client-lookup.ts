import { Injectable } from '@nestjs/common';
import { ApiClient, DomainError, validationFailed } from '@crm/contracts';
import { ERP_SCOPES } from '../erp-auth/erp-client';
import { ApiClientRepository } from './api-client.repository';
import { ApiClientRow, toApiClient } from './api-client.table';

const KNOWN_SCOPES = new Set<string>(ERP_SCOPES);

/** The reads and checks the API client use cases share. */
@Injectable()
export class ApiClientLookup {
  constructor(private readonly clients: ApiClientRepository) {}

  /** The tenant's client, revoked ones too; NOT_FOUND otherwise (another tenant's is not found either). */
  async row(tenantId: string, id: string): Promise<ApiClientRow> {
    const row = await this.clients.find(tenantId, id);
    if (!row) throw new DomainError('NOT_FOUND', 'No such API client.');
    return row;
  }

  /** A client that is not revoked (a revoked one cannot be changed: it is NOT_FOUND for writes). */
  async live(tenantId: string, id: string, expectedVersion: number | undefined): Promise<ApiClientRow> {
    const row = await this.row(tenantId, id);
    if (row.revoked_at !== null) throw new DomainError('NOT_FOUND', 'This API client is revoked.');
    if (expectedVersion !== undefined && expectedVersion !== row.version)
      throw new DomainError('PRECONDITION_FAILED', 'The API client changed meanwhile; read it again.', { currentVersion: row.version });
    return row;
  }

  /** The client as replies show it, with its working secrets. */
  async withSecrets(row: ApiClientRow): Promise<ApiClient> {
    return toApiClient(row, await this.clients.workingSecrets(row.tenant_id, [row.id]));
  }
}

/** The scopes, each known (ERP_SCOPES) and once; VALIDATION_FAILED naming the bad entries otherwise. */
export function checkScopes(scopes: readonly string[], path: string): string[] {
  const issues = scopes.flatMap((scope, index) =>
    KNOWN_SCOPES.has(scope) ? [] : [{ path: `${path}.${index}`, message: `unknown scope; one of ${ERP_SCOPES.join(', ')}` }],
  );
  if (issues.length) throw validationFailed(issues);
  return [...new Set(scopes)];
}
