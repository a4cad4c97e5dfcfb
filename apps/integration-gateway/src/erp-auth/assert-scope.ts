import { DomainError } from '@crm/contracts';
import type { ErpClient, ErpScope } from './erp-client';

/** FORBIDDEN (403) unless the client holds `scope`. */
export function assertScope(client: ErpClient, scope: ErpScope): void {
  if (!client.scopes.includes(scope)) {
    throw new DomainError('FORBIDDEN', `this client lacks the scope ${scope}`, { requiredScope: scope });
  }
}
