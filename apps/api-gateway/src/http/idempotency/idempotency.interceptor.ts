import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UnprocessableEntityException } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import type { FastifyRequest } from 'fastify';
import { Observable, of } from 'rxjs';
import { AppConfig } from '../../app.config';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { fingerprintOf, IDEMPOTENCY_KEY_HEADER, idempotencyKeyOf, recordKeyOf } from './idempotency-key';
import { IdempotencyRecords } from './idempotency-records';
import { IdempotentExchanges } from './idempotent-exchanges';

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for POST and PATCH: the first
 * request with a key reserves it and runs; a retry with the same key and body gets the stored
 * response again (`Idempotent-Replayed: true`), with another body 422, while the first still
 * runs 409. Keys are scoped to the caller (tenant + user, or the IP address on public routes),
 * the method and the path. Runs after the guards, so unauthenticated or forbidden requests
 * never touch a key. The response itself is recorded by IdempotencyResponseHook as it is sent.
 * Bound by bindIdempotency to the routes that take a key: POST and PATCH, except those marked
 * @NoIdempotencyStorage() (credential routes: their responses are tokens), which ignore it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly records: IdempotencyRecords,
    private readonly exchanges: IdempotentExchanges,
    private readonly config: AppConfig,
  ) {}

  // Not async: a request without a key (most) goes straight on, without a promise.
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>();
    const key = idempotencyKeyOf(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) return next.handle();
    return this.withKey(request, key, next);
  }

  private async withKey(request: FastifyRequest & { user?: AuthenticatedUser }, key: string, next: CallHandler): Promise<Observable<unknown>> {
    const scope = request.user ? `tenant:${request.user.tenantId}:user:${request.user.userId}` : `ip:${request.ip}`;
    const recordKey = recordKeyOf(this.config.AUTH_REDIS_PREFIX, scope, request.method, request.url, key);
    const fingerprint = fingerprintOf(request.body);
    const outcome = await this.records.reserve(recordKey, fingerprint);
    if ('reserved' in outcome) {
      this.exchanges.set(request, { kind: 'record', reservation: outcome.reserved });
      return next.handle();
    }
    const existing = outcome.existing;
    if (existing && existing.fingerprint !== fingerprint) {
      throw new UnprocessableEntityException('This Idempotency-Key was already used with a different request body.');
    }
    if (!existing || existing.state === 'in-flight') {
      throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still being processed. Retry later.', { retryAfterSeconds: 1 });
    }
    // The handler does not run; the hook swaps in the stored status, headers and body.
    this.exchanges.set(request, { kind: 'replay', response: existing });
    return of(null);
  }
}
