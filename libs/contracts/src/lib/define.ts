import { z } from 'zod';
import { owningService, versionedName } from './names';

/** A domain event: published by its owning service through the outbox, consumed by others. */
export interface EventContract<S extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  /** Versioned name, also the routing key on the events exchange: `contacts.contact.created.v1`. */
  readonly name: string;
  readonly type: string;
  readonly version: number;
  readonly service: string;
  readonly schema: S;
}

/** A command or query: request/reply over the owning service's queue. */
export interface RpcContract<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly kind: 'command' | 'query';
  readonly name: string;
  readonly type: string;
  readonly version: number;
  readonly service: string;
  readonly request: Req;
  readonly response: Res;
  /**
   * A command that is idempotent by a key of its own (an email's Message-ID): what makes it safe to
   * deliver twice, said here so that the service skips the command inbox (a transaction and two
   * statements per command) for it. Absent: the command inbox applies it once per request id.
   */
  readonly appliedOnceBy?: string;
}

export type AnyContract = EventContract | RpcContract;
export type EventData<C extends EventContract> = z.infer<C['schema']>;
export type RpcRequest<C extends RpcContract> = z.infer<C['request']>;
export type RpcResponse<C extends RpcContract> = z.infer<C['response']>;

export function defineEvent<S extends z.ZodType>(type: string, version: number, schema: S): EventContract<S> {
  const name = versionedName(type, version);
  return Object.freeze({ kind: 'event', name, type, version, service: owningService(name), schema });
}

function defineRpc<Req extends z.ZodType, Res extends z.ZodType>(
  kind: 'command' | 'query',
  type: string,
  version: number,
  request: Req,
  response: Res,
  appliedOnceBy?: string,
): RpcContract<Req, Res> {
  const name = versionedName(type, version);
  return Object.freeze({ kind, name, type, version, service: owningService(name), request, response, ...(appliedOnceBy && { appliedOnceBy }) });
}

export function defineCommand<Req extends z.ZodType, Res extends z.ZodType>(
  type: string,
  version: number,
  schemas: { request: Req; response: Res; appliedOnceBy?: string },
): RpcContract<Req, Res> {
  return defineRpc('command', type, version, schemas.request, schemas.response, schemas.appliedOnceBy);
}

export function defineQuery<Req extends z.ZodType, Res extends z.ZodType>(
  type: string,
  version: number,
  schemas: { request: Req; response: Res },
): RpcContract<Req, Res> {
  return defineRpc('query', type, version, schemas.request, schemas.response);
}
