import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyErasureHandler } from './idempotency-erasure.handler';
import { IdempotencyRecords } from './idempotency-records';
import { IdempotencyResponseHook } from './idempotency-response.hook';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotentExchanges } from './idempotent-exchanges';

/** Idempotency-Key support for POST and PATCH on every route; stored responses of an erased contact are deleted. */
@Module({
  controllers: [IdempotencyErasureHandler],
  providers: [IdempotencyRecords, IdempotentExchanges, IdempotencyResponseHook, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class IdempotencyModule {}
