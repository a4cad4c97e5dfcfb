import { Inject, Injectable } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { EventContract, RpcContract } from '@crm/contracts';
import { AmqpConnections } from '../amqp/amqp-connections';
import { EventConsumer } from '../consumer/event-consumer';
import type { HandlerExtras } from '../handlers/handler.decorators';
import { admitCaller, admitEvent, HandlerScope } from '../handlers/handler-scope';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../messaging.options';
import { RpcServer } from '../rpc/rpc-server';
import type { EventRoute, MessageHandlers, RpcRoute } from './message-handlers';

/**
 * The service's bus as a NestJS transport: Nest registers every `@MessagePattern` /
 * `@EventPattern` (`@OnRpc` / `@OnEvent`) handler here, with its guards, pipes, interceptors and
 * filters; `listen` starts the request and event consumers on amqplib, `close` drains them.
 * Connect it with `connectMessaging(app)` and start it with `app.startAllMicroservices()`.
 */
@Injectable()
export class MessagingTransport extends Server implements CustomTransportStrategy, MessageHandlers {
  // The consumer awaits each event's handlers and turns their failures into retries or parking.
  override propagatesEventHandlerErrors = true;
  private stopped?: Promise<void>;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly consumer: EventConsumer,
    private readonly rpcServer: RpcServer,
    private readonly connections: AmqpConnections,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.stopped = undefined;
      await this.consumer.start(this);
      await this.rpcServer.start(this);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking deliveries and lets the handlers in flight finish and ack (once, whoever asks first). */
  close(): Promise<void> {
    const timeout = this.options.shutdownTimeoutMs;
    this.stopped ??= Promise.all([this.consumer.stop(timeout), this.rpcServer.stop(timeout)]).then(() => undefined);
    return this.stopped;
  }

  on(): never {
    throw new Error('the messaging transport reports its state through metrics and health checks, not events');
  }

  unwrap<T>(): T {
    return this.connections as T;
  }

  eventTypes(): string[] {
    return [...this.messageHandlers.entries()].filter(([, handler]) => handler.isEventHandler).map(([pattern]) => pattern);
  }

  hasRpc(): boolean {
    return [...this.messageHandlers.values()].some((handler) => !handler.isEventHandler);
  }

  /**
   * Each message type's route, built on its first message (Nest has registered every handler
   * before `listen`) rather than on every delivery. Unknown types are not kept: made-up names
   * cannot grow the maps.
   */
  private readonly eventRoutes = new Map<string, EventRoute>();
  private readonly rpcRoutes = new Map<string, RpcRoute>();

  event(type: string): EventRoute | undefined {
    return remembered(this.eventRoutes, type, () => this.eventRoute(type));
  }

  rpc(type: string): RpcRoute | undefined {
    return remembered(this.rpcRoutes, type, () => this.rpcRoute(type));
  }

  private eventRoute(type: string): EventRoute | undefined {
    const handler = this.getHandlerByPattern(type);
    if (!handler?.isEventHandler) return undefined;
    const { contract, scope } = declared<EventContract>(type, handler, '@OnEvent(contract, scope)');
    return {
      contract,
      scope,
      invoke: async (data, envelope) => {
        admitEvent(scope, envelope.tenantid);
        await this.invoke(handler, data, envelope);
      },
    };
  }

  private rpcRoute(type: string): RpcRoute | undefined {
    const handler = this.getHandlerByPattern(type);
    if (!handler || handler.isEventHandler) return undefined;
    const { contract, scope } = declared<RpcContract>(type, handler, '@OnRpc(contract, scope)');
    return {
      contract,
      scope,
      invoke: async (request, context) => {
        // Before Nest's pipeline: no guard, interceptor (the command inbox) or handler sees a refused request.
        admitCaller(scope, context.actor);
        return this.invoke(handler, request, context);
      },
    };
  }

  /** Message names are exact: no JSON patterns to parse on the hot path. */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? null;
  }

  /** Runs Nest's pipeline for one message; a failure (after the exception filters) is thrown. */
  private async invoke(handler: MessageHandler, data: unknown, context: unknown): Promise<unknown> {
    const result: unknown = await handler(data, context);
    return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
  }
}

/** The route kept for `type`, else the one `build` finds (kept when there is one). */
function remembered<R>(routes: Map<string, R>, type: string, build: () => R | undefined): R | undefined {
  const known = routes.get(type);
  if (known) return known;
  const route = build();
  if (route) routes.set(type, route);
  return route;
}

/** The contract and scope the handler's decorator declared: a handler registered without them is a programming error. */
function declared<C extends EventContract | RpcContract>(type: string, handler: MessageHandler, decorator: string): { contract: C; scope: HandlerScope } {
  const { contract, scope } = (handler.extras ?? {}) as HandlerExtras;
  if (!contract || !scope) throw new Error(`${type}: declare its handler with ${decorator}`);
  return { contract: contract as C, scope };
}
