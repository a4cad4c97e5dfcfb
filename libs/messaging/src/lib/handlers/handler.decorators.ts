import { applyDecorators, SetMetadata, UseFilters, UseInterceptors } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { EventContract, RpcContract } from '@crm/contracts';
import { CommandInbox } from '../rpc/command-inbox/command-inbox.interceptor';
import { RpcErrorFilter } from '../rpc/rpc-error.filter';

export const EVENT_HANDLER_METADATA = 'crm:messaging:event-handler';
export const RPC_HANDLER_METADATA = 'crm:messaging:rpc-handler';

/** What the transport finds on each handler Nest registered (the pattern's `extras`). */
export interface HandlerExtras {
  contract?: EventContract | RpcContract;
}

/**
 * Nest hands a message handler only its payload unless a parameter asks for more: give it
 * `(payload, context)` (the envelope, or the RpcCallContext), as handlers are written, unless the
 * method's own @Payload / @Ctx decorators say otherwise.
 */
const payloadAndContext: MethodDecorator = (target, key) => {
  const declared = Object.values<{ index: number }>(Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {});
  const taken = (index: number) => declared.some((param) => param.index === index);
  if (!taken(0)) Payload()(target, key, 0);
  if (!taken(1)) Ctx()(target, key, 1);
};

/**
 * Marks a controller method as the handler of a domain event (`@EventPattern` of the contract's
 * name). It runs inside the service's transaction with the inbox row:
 * `(data, envelope) => Promise<void>`. Throwing rolls both back and retries.
 */
export const OnEvent = (contract: EventContract): MethodDecorator =>
  applyDecorators(
    EventPattern(contract.name, { contract } satisfies HandlerExtras) as MethodDecorator,
    SetMetadata(EVENT_HANDLER_METADATA, contract),
    payloadAndContext,
    // Keeps the handler's own error (Nest's default filter would replace it with "Internal server error").
    UseFilters(RpcErrorFilter),
  );

/**
 * Marks a controller method as the handler of a command or query (`@MessagePattern` of the
 * contract's name): `(request, context: RpcCallContext) => Promise<response>`. Errors become typed
 * error replies (RpcErrorFilter); a command is applied once however often it is delivered (CommandInbox).
 */
export const OnRpc = (contract: RpcContract): MethodDecorator =>
  applyDecorators(
    MessagePattern(contract.name, { contract } satisfies HandlerExtras),
    SetMetadata(RPC_HANDLER_METADATA, contract),
    payloadAndContext,
    UseFilters(RpcErrorFilter),
    ...(contract.kind === 'command' ? [UseInterceptors(CommandInbox)] : []),
  );
