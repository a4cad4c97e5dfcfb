import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyRecords } from './idempotency-records';
import { IdempotencyResponseHook } from './idempotency-response.hook';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotentExchanges } from './idempotent-exchanges';

/** Idempotency-Key support for POST and PATCH on every route. */
@Module({
  providers: [IdempotencyRecords, IdempotentExchanges, IdempotencyResponseHook, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class IdempotencyModule {}
