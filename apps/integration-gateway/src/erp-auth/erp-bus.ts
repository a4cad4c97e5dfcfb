import { Injectable } from '@nestjs/common';
import type { RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { RpcClient, type CallOptions } from '@crm/messaging';
import type { ErpClient } from './erp-client';
import { ErpTokens } from './erp-tokens';

/** Default time a service has to answer an /erp call (a bulk batch of 1,000 rows may take seconds). */
const ERP_CALL_TIMEOUT_MS = 30_000;

/**
 * How the integration gateway sends a command or query to the owning service on behalf of an ERP
 * client: with a call token it signs for the client (services verify it against this gateway's
 * key and take the tenant from it only).
 */
@Injectable()
export class ErpBus {
  constructor(
    private readonly rpc: RpcClient,
    private readonly tokens: ErpTokens,
  ) {}

  async call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, client: ErpClient, options: Omit<CallOptions, 'token'> = {}): Promise<RpcResponse<C>> {
    const token = await this.tokens.callToken(client);
    return this.rpc.call(contract, payload, { timeoutMs: ERP_CALL_TIMEOUT_MS, ...options, token });
  }
}
