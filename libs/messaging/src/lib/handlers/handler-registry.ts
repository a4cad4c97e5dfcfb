import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { EventContract, EventEnvelope, RpcContract } from '@crm/contracts';
import type { Actor } from '@crm/contracts';
import { EVENT_HANDLER_METADATA, RPC_HANDLER_METADATA } from './handler.decorators';

export type EventHandlerFn = (data: unknown, envelope: EventEnvelope) => Promise<void>;

export interface RpcCallContext {
  /** The caller, from the access token the RPC server verified (always set: unverified requests never reach a handler). */
  actor?: Actor;
  correlationId: string;
}
export type RpcHandlerFn = (request: unknown, context: RpcCallContext) => Promise<unknown>;

export interface RegisteredEvent {
  contract: EventContract;
  handlers: { name: string; fn: EventHandlerFn }[];
}

/** Finds every @OnEvent and @OnRpc method in the application, once, at start-up. */
@Injectable()
export class HandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger('Messaging');
  readonly events = new Map<string, RegisteredEvent>();
  readonly rpc = new Map<string, { contract: RpcContract; name: string; fn: RpcHandlerFn }>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const target = prototype[method];
        const name = `${instance.constructor.name}.${method}`;
        const eventContract = this.reflector.get<EventContract | undefined>(EVENT_HANDLER_METADATA, target);
        if (eventContract) this.addEvent(eventContract, name, (target as EventHandlerFn).bind(instance));
        const rpcContract = this.reflector.get<RpcContract | undefined>(RPC_HANDLER_METADATA, target);
        if (rpcContract) this.addRpc(rpcContract, name, (target as RpcHandlerFn).bind(instance));
      }
    }
  }

  private addEvent(contract: EventContract, name: string, fn: EventHandlerFn): void {
    const entry = this.events.get(contract.name) ?? { contract, handlers: [] };
    entry.handlers.push({ name, fn });
    this.events.set(contract.name, entry);
    this.logger.log(`event ${contract.name} -> ${name}`);
  }

  private addRpc(contract: RpcContract, name: string, fn: RpcHandlerFn): void {
    const existing = this.rpc.get(contract.name);
    if (existing) throw new Error(`${contract.name} has two handlers: ${existing.name} and ${name}`);
    this.rpc.set(contract.name, { contract, name, fn });
    this.logger.log(`${contract.kind} ${contract.name} -> ${name}`);
  }
}
