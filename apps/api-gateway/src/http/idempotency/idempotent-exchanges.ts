import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Reservation, StoredResponse } from './idempotency-records';

/** What the response hook must do for a request the interceptor handled. */
export type IdempotentExchange = { kind: 'record'; reservation: Reservation } | { kind: 'replay'; response: StoredResponse };

/** Hands the interceptor's decision to the response hook, per request (gone with the request). */
@Injectable()
export class IdempotentExchanges {
  private readonly byRequest = new WeakMap<FastifyRequest, IdempotentExchange>();

  set(request: FastifyRequest, exchange: IdempotentExchange): void {
    this.byRequest.set(request, exchange);
  }

  /** Returns the exchange once: a response is recorded or replayed only one time. */
  take(request: FastifyRequest): IdempotentExchange | undefined {
    const exchange = this.byRequest.get(request);
    this.byRequest.delete(request);
    return exchange;
  }
}
