import { SetMetadata } from '@nestjs/common';
import type { EventContract, RpcContract } from '@crm/contracts';

export const EVENT_HANDLER_METADATA = 'crm:messaging:event-handler';
export const RPC_HANDLER_METADATA = 'crm:messaging:rpc-handler';

/**
 * Marks a method as the handler of a domain event. It runs inside the service's transaction
 * with the inbox row: `(data, envelope) => Promise<void>`. Throwing rolls both back and retries.
 */
export const OnEvent = (contract: EventContract): MethodDecorator => SetMetadata(EVENT_HANDLER_METADATA, contract);

/** Marks a method as the handler of a command or query: `(request, context) => Promise<response>`. */
export const OnRpc = (contract: RpcContract): MethodDecorator => SetMetadata(RPC_HANDLER_METADATA, contract);
