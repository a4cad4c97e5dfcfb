import { BaseRpcContext } from '@nestjs/microservices';
import type { Actor } from '@crm/contracts';

/**
 * The second argument of every RPC handler (also what `@Ctx()` gives): who calls, and which
 * request this is.
 */
export class RpcCallContext extends BaseRpcContext<[]> {
  /** The caller's tenant: what a tenant-scoped handler scopes every read and write by. */
  readonly tenantId: string | undefined;

  constructor(
    /** The caller, from the access token the transport verified (always set: unverified requests never reach a handler). */
    readonly actor: Actor | undefined,
    readonly correlationId: string,
    /** The request's own id (set by the caller, the same on every redelivery): the command inbox's key. */
    readonly requestId: string,
    /** The message name (the contract's). */
    readonly type: string,
  ) {
    super([]);
    this.tenantId = actor?.tenantId;
  }
}

/** What a tenant-scoped handler gets: the transport admitted the request only with a caller of a tenant. */
export type TenantCallContext = RpcCallContext & { readonly actor: Actor; readonly tenantId: string };
