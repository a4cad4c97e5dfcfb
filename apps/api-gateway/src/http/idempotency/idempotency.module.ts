import { Module } from '@nestjs/common';
import { IdempotencyErasureHandler } from './idempotency-erasure.handler';
import { IdempotencyRecords } from './idempotency-records';
import { IdempotencyResponseHook } from './idempotency-response.hook';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotentExchanges } from './idempotent-exchanges';

/**
 * Idempotency-Key support for POST and PATCH on every route (the interceptor is bound to those
 * routes by bindIdempotency, from configureHttp); stored responses of an erased contact are deleted.
 */
@Module({
  controllers: [IdempotencyErasureHandler],
  providers: [IdempotencyRecords, IdempotentExchanges, IdempotencyResponseHook, IdempotencyInterceptor],
})
export class IdempotencyModule {}
