import { applyDecorators, SetMetadata, UseFilters, UseInterceptors } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { EventContract, EventData, EventEnvelope, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { CommandInbox } from '../rpc/command-inbox/command-inbox.interceptor';
import type { JsonReply } from '../rpc/json-reply';
import { RpcErrorFilter } from '../rpc/rpc-error.filter';
import type { EventScope, HandlerScope, PublicScope, TenantScope } from './handler-scope';
import type { RpcCallContext, TenantCallContext } from './rpc-call-context';

export const EVENT_HANDLER_METADATA = 'crm:messaging:event-handler';
export const RPC_HANDLER_METADATA = 'crm:messaging:rpc-handler';
export const HANDLER_SCOPE_METADATA = 'crm:messaging:handler-scope';

/** What the transport finds on each handler Nest registered (the pattern's `extras`). */
export interface HandlerExtras {
  contract?: EventContract | RpcContract;
  scope?: HandlerScope;
}

type Awaitable<T> = T | Promise<T>;

/** The handler a request contract asks for: its request in, its response out (or its response's JSON text). */
export type RpcHandlerOf<C extends RpcContract, Context = RpcCallContext> = (
  request: RpcRequest<C>,
  context: Context,
) => Awaitable<RpcResponse<C> | JsonReply<RpcResponse<C>>>;
/** The handler an event contract asks for: its data and envelope in, nothing out. */
export type EventHandlerOf<C extends EventContract> = (data: EventData<C>, envelope: EventEnvelope<EventData<C>>) => Awaitable<void>;

/**
 * A method decorator that only fits a method of type `M`: a handler whose parameters or result do
 * not match its contract fails to compile ("Unable to resolve signature of method decorator").
 */
export type HandlerDecorator<M> = <T extends M>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>) => void;

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
export function OnEvent<C extends EventContract>(contract: C, scope: EventScope): HandlerDecorator<EventHandlerOf<C>> {
  return applyDecorators(
    EventPattern(contract.name, { contract, scope } satisfies HandlerExtras) as MethodDecorator,
    SetMetadata(EVENT_HANDLER_METADATA, contract),
    SetMetadata(HANDLER_SCOPE_METADATA, scope),
    payloadAndContext,
    // Keeps the handler's own error (Nest's default filter would replace it with "Internal server error").
    UseFilters(RpcErrorFilter),
  );
}

/**
 * Marks a controller method as the handler of a command or query (`@MessagePattern` of the
 * contract's name): `(request, context) => Promise<response>`, the request already checked
 * against the contract by the transport. A tenant-scoped handler gets a TenantCallContext.
 * Errors become typed error replies (RpcErrorFilter); a command is applied once however often it
 * is delivered (CommandInbox), unless its contract names its own idempotency key (`appliedOnceBy`).
 */
export function OnRpc<C extends RpcContract>(contract: C, scope: TenantScope): HandlerDecorator<RpcHandlerOf<C, TenantCallContext>>;
export function OnRpc<C extends RpcContract>(contract: C, scope: PublicScope): HandlerDecorator<RpcHandlerOf<C>>;
export function OnRpc(contract: RpcContract, scope: HandlerScope): MethodDecorator {
  return applyDecorators(
    MessagePattern(contract.name, { contract, scope } satisfies HandlerExtras),
    SetMetadata(RPC_HANDLER_METADATA, contract),
    SetMetadata(HANDLER_SCOPE_METADATA, scope),
    payloadAndContext,
    UseFilters(RpcErrorFilter),
    ...(contract.kind === 'command' && !contract.appliedOnceBy ? [UseInterceptors(CommandInbox)] : []),
  );
}
