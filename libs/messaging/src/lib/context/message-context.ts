import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { CLS_CORRELATION_ID, CLS_TRACEPARENT, childTraceparent, newTraceparent } from '@crm/observability';
import type { Actor } from '@crm/contracts';

/** Symbols, as @crm/observability's keys: nestjs-cls looks a symbol up directly, a string as a dotted path. */
export const CLS_ACTOR = Symbol('actor');
/** The verified access token the current request came with: forwarded by calls made while handling it. */
export const CLS_CALLER_TOKEN = Symbol('callerToken');
/** How many automation steps led to what runs now: events published meanwhile carry it (`automationdepth`). */
export const CLS_AUTOMATION_DEPTH = Symbol('automationDepth');

export interface MessageTrace {
  correlationId: string;
  traceparent: string;
}

/**
 * Carries the correlation id, W3C trace context and actor of the current request or message
 * through async calls (nestjs-cls), so logs and outgoing messages pick them up.
 */
@Injectable()
export class MessageContext {
  constructor(private readonly cls: ClsService) {}

  // A symbol key is read as a property of the active store: undefined, not an error, outside a context.

  /** The current trace, or a new root one when nothing is active. */
  current(): MessageTrace {
    const { correlationId, traceparent } = this.ongoing();
    return { correlationId: correlationId || randomUUID(), traceparent: traceparent || newTraceparent() };
  }

  /**
   * The trace of the request or message being handled, unchanged; no ids outside one (a job, a
   * script): a request sent from there leaves starting the trace to its serving side.
   */
  ongoing(): Partial<MessageTrace> {
    return { correlationId: this.cls.get<string>(CLS_CORRELATION_ID), traceparent: this.cls.get<string>(CLS_TRACEPARENT) };
  }

  actor(): Actor | undefined {
    return this.cls.get<Actor>(CLS_ACTOR);
  }

  callerToken(): string | undefined {
    return this.cls.get<string>(CLS_CALLER_TOKEN);
  }

  /** The automation depth set by `withAutomationDepth` (undefined outside one: a user's or an ERP's act). */
  automationDepth(): number | undefined {
    return this.cls.get<number>(CLS_AUTOMATION_DEPTH);
  }

  /**
   * Runs `fn` (an automation's action) in a child context inheriting everything, so the events it
   * publishes say how deep in an automation chain they are.
   */
  withAutomationDepth<T>(depth: number, fn: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'inherit' }, () => {
      this.cls.set(CLS_AUTOMATION_DEPTH, depth);
      return fn();
    });
  }

  /** Runs `fn` in a fresh context continuing the trace found in a message's headers. */
  run<T>(incoming: { correlationId?: string; traceparent?: string; actor?: Actor; token?: string }, fn: () => Promise<T>): Promise<T> {
    // The store whole, in one object, rather than filled by a set() a key (each looks the store up
    // again): this runs for every request and message a service takes. Inside another context it
    // starts from a copy of that one's (as ClsService.run does), e.g. a batch's transaction.
    const store: Record<symbol, unknown> = {
      ...(this.cls.get() as Record<symbol, unknown> | undefined),
      [CLS_CORRELATION_ID]: incoming.correlationId || randomUUID(),
      [CLS_TRACEPARENT]: incoming.traceparent ? childTraceparent(incoming.traceparent) : newTraceparent(),
    };
    if (incoming.actor) store[CLS_ACTOR] = incoming.actor;
    if (incoming.token) store[CLS_CALLER_TOKEN] = incoming.token;
    return this.cls.runWith(store, fn);
  }
}

/** Reads a string header written by another service; AMQP headers may arrive as Buffers. */
export function headerString(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}
