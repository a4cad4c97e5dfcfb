import { DomainError, type Actor, type Role } from '@crm/contracts';

/**
 * Whose data a message handler works on, declared on every handler (`@OnRpc(contract, scope)`,
 * `@OnEvent(contract, scope)`) and enforced by the transport before the handler runs:
 * - `tenant`: one tenant's data. A request without a verified caller with a tenant, or an event
 *   without a tenant, never reaches the handler; `roles`, when given, are the roles of which the
 *   caller must hold one (requests only).
 * - `public`: no tenant's data at all (diagnostics): `why` says so, for the reviewer, and the
 *   service's handler-guarding spec allows only the handlers it lists.
 */
export type HandlerScope = TenantScope | PublicScope;
export interface TenantScope {
  scope: 'tenant';
  roles?: readonly Role[];
}
export interface PublicScope {
  scope: 'public';
  why: string;
}
/** Events have no caller, so no roles: only the tenant they belong to. */
export type EventScope = { scope: 'tenant' } | PublicScope;

/** Refuses a request to a tenant-scoped handler without a caller of a tenant, or without one of its roles. */
export function admitCaller(scope: HandlerScope, actor: Actor | undefined): void {
  if (scope.scope !== 'tenant') return;
  if (!actor?.tenantId) throw new DomainError('UNAUTHENTICATED', 'An actor is required.');
  if (scope.roles && !actor.roles.some((role) => scope.roles?.includes(role))) {
    throw new DomainError('FORBIDDEN', `Only ${scope.roles.join(' or ')} may do this.`);
  }
}

/** Refuses an event without a tenant for a tenant-scoped handler (the envelope's schema requires one too). */
export function admitEvent(scope: HandlerScope, tenantId: string | undefined): void {
  if (scope.scope === 'tenant' && !tenantId) throw new DomainError('UNAUTHENTICATED', 'A tenant-scoped handler needs an event of a tenant.');
}
