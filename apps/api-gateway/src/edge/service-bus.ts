import { Injectable } from '@nestjs/common';
import type { Actor, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { AppConfig } from '../app.config';

export interface EdgeCallOptions {
  /** This route's own timeout; default GATEWAY_RPC_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * How a route handler sends one command or query to the owning service: on behalf of the
 * caller (the actor travels with the request), within the route's timeout. The correlation id
 * and trace context travel by themselves (RpcClient reads them from the request context).
 * Failures are the RpcClient's errors; ProblemDetailsFilter turns them into 503/504/4xx.
 */
@Injectable()
export class ServiceBus {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: AppConfig,
  ) {}

  call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, actor: Actor, options: EdgeCallOptions = {}): Promise<RpcResponse<C>> {
    return this.rpc.call(contract, payload, { actor, timeoutMs: options.timeoutMs ?? this.config.GATEWAY_RPC_TIMEOUT_MS });
  }
}
