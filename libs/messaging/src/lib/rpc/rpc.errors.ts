import type { ErrorReply } from '@crm/contracts';

/** No reply within the timeout: the gateway answers 504. */
export class RpcTimeoutError extends Error {
  readonly code = 'RPC_TIMEOUT';
  constructor(
    readonly messageName: string,
    readonly timeoutMs: number,
  ) {
    super(`${messageName}: no reply within ${timeoutMs} ms`);
    this.name = 'RpcTimeoutError';
  }
}

/** Nobody consumes the target queue (service down or not deployed): the gateway answers 503. */
export class NoConsumersError extends Error {
  readonly code = 'NO_CONSUMERS';
  constructor(readonly queue: string) {
    super(`nobody is consuming ${queue}`);
    this.name = 'NoConsumersError';
  }
}

/** This process has no connection to the broker right now: the gateway answers 503. */
export class BrokerUnavailableError extends Error {
  readonly code = 'BROKER_UNAVAILABLE';
  constructor() {
    super('the message broker is not reachable');
    this.name = 'BrokerUnavailableError';
  }
}

/** The service answered with a domain error (not found, conflict, validation...). */
export class RemoteError extends Error {
  readonly code: ErrorReply['code'];
  readonly details?: unknown;
  constructor(
    readonly messageName: string,
    reply: ErrorReply,
  ) {
    super(reply.message);
    this.name = 'RemoteError';
    this.code = reply.code;
    this.details = reply.details;
  }
}

export type { RpcReply } from '@crm/contracts';
