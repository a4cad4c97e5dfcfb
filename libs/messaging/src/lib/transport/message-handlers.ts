import type { EventContract, EventEnvelope, RpcContract } from '@crm/contracts';
import type { HandlerScope } from '../handlers/handler-scope';
import type { RpcCallContext } from '../handlers/rpc-call-context';

/** An event's handlers as Nest registered them (guards, pipes, interceptors and filters included). */
export interface EventRoute {
  contract: EventContract;
  scope: HandlerScope;
  invoke(data: unknown, envelope: EventEnvelope): Promise<void>;
}

/** A command's or query's handler as Nest registered it. */
export interface RpcRoute {
  contract: RpcContract;
  scope: HandlerScope;
  invoke(request: unknown, context: RpcCallContext): Promise<unknown>;
}

/** How the consumers find the handlers: the transport, which Nest gave every @MessagePattern / @EventPattern. */
export interface MessageHandlers {
  eventTypes(): string[];
  event(type: string): EventRoute | undefined;
  hasRpc(): boolean;
  rpc(type: string): RpcRoute | undefined;
}
