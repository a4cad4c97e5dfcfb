import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import type { EventContract, RpcContract } from '@crm/contracts';
import { EVENT_HANDLER_METADATA, HANDLER_SCOPE_METADATA, RPC_HANDLER_METADATA } from './handler.decorators';
import type { HandlerScope } from './handler-scope';

/** One message handler of an app, as its decorators declared it. */
export interface CatalogHandler {
  /** `Class.method`, for messages. */
  handler: string;
  kind: 'rpc' | 'event';
  /** Undefined when the method carries a bare @MessagePattern / @EventPattern (the transport refuses it). */
  contract?: RpcContract | EventContract;
  scope?: HandlerScope;
}

type ModuleEntry = Type<unknown> | DynamicModule | ForwardReference | Promise<DynamicModule> | undefined;

/**
 * Every message handler of a module tree, found by reflection (nothing is instantiated: no
 * database or broker is needed): the controllers of the module and of everything it imports.
 */
export function messageHandlersOf(root: Type<unknown> | DynamicModule): CatalogHandler[] {
  return controllersOf(root).flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype).flatMap((name): CatalogHandler[] => {
      const method = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value as object | undefined;
      if (typeof method !== 'function' || name === 'constructor') return [];
      const rpc = Reflect.getMetadata(RPC_HANDLER_METADATA, method) as RpcContract | undefined;
      const event = Reflect.getMetadata(EVENT_HANDLER_METADATA, method) as EventContract | undefined;
      const scope = Reflect.getMetadata(HANDLER_SCOPE_METADATA, method) as HandlerScope | undefined;
      const handler = `${controller.name}.${name}`;
      if (rpc) return [{ handler, kind: 'rpc', contract: rpc, scope }];
      if (event) return [{ handler, kind: 'event', contract: event, scope }];
      // A bare Nest pattern: a handler the catalog must not miss.
      if (Reflect.getMetadata(PATTERN_METADATA, method)) return [{ handler, kind: 'rpc', scope }];
      return [];
    }),
  );
}

function controllersOf(root: Type<unknown> | DynamicModule): Type<unknown>[] {
  const seen = new Set<unknown>();
  const found = new Set<Type<unknown>>();
  const visit = (entry: ModuleEntry): void => {
    if (!entry || seen.has(entry) || entry instanceof Promise) return;
    seen.add(entry);
    if ('forwardRef' in entry) return visit(entry.forwardRef() as ModuleEntry);
    const dynamic = 'module' in entry ? entry : undefined;
    const moduleClass = dynamic ? dynamic.module : (entry as Type<unknown>);
    const controllers = [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) ?? []), ...(dynamic?.controllers ?? [])];
    controllers.forEach((controller: Type<unknown>) => found.add(controller));
    const imports = [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) ?? []), ...(dynamic?.imports ?? [])];
    imports.forEach((imported: ModuleEntry) => visit(imported));
  };
  visit(root);
  return [...found];
}

export function isContract(value: unknown): value is RpcContract | EventContract {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof value === 'object' && value !== null && (kind === 'command' || kind === 'query' || kind === 'event') && 'name' in value;
}

export interface GuardingRules {
  service: string;
  /** Every contract the system declares (libs/contracts): the service's own are those of its name. */
  contracts: readonly (RpcContract | EventContract)[];
  /** The handlers allowed to be public, by message name: why each touches no tenant's data. */
  publicHandlers: Readonly<Record<string, string>>;
}

/**
 * What is wrong with a service's handlers, one line each (none: all is well): every command and
 * query the service owns has exactly one handler; every handler handles a declared contract (its
 * own for requests); every event is handled once; every handler declares a scope, tenant unless
 * allow-listed as public.
 */
export function handlerGuardingProblems(handlers: readonly CatalogHandler[], rules: GuardingRules): string[] {
  const problems: string[] = [];
  const declared = new Map(rules.contracts.map((contract) => [contract.name, contract]));
  const handlersOf = (name: string) => handlers.filter((h) => h.contract?.name === name);
  for (const contract of rules.contracts) {
    if (contract.kind === 'event' || contract.service !== rules.service) continue;
    const count = handlersOf(contract.name).length;
    if (count !== 1) problems.push(`${contract.name}: ${count} handlers (a contract ${rules.service} owns needs exactly one)`);
  }
  for (const { handler, kind, contract, scope } of handlers) {
    if (!contract) {
      problems.push(`${handler}: a message pattern without @OnRpc / @OnEvent (no contract, no scope)`);
      continue;
    }
    if (declared.get(contract.name)?.kind !== contract.kind) problems.push(`${handler}: ${contract.name} is not a contract declared in libs/contracts`);
    if (kind === 'rpc' && contract.service !== rules.service) problems.push(`${handler}: answers ${contract.name}, which ${contract.service} owns`);
    if (kind === 'event' && handlersOf(contract.name).length > 1) problems.push(`${handler}: ${contract.name} is handled more than once`);
    const publicWhy = rules.publicHandlers[contract.name];
    if (!scope) problems.push(`${handler}: declares no scope`);
    else if (scope.scope === 'public' && publicWhy === undefined) problems.push(`${handler}: is public (${scope.why}) but not allow-listed`);
    else if (scope.scope === 'tenant' && publicWhy !== undefined) problems.push(`${handler}: is allow-listed as public but tenant-scoped`);
  }
  for (const name of Object.keys(rules.publicHandlers)) {
    if (handlersOf(name).length === 0) problems.push(`${name}: allow-listed as public but has no handler`);
  }
  return problems;
}
