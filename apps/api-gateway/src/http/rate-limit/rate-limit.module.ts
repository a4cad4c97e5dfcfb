import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from './rate-limit.guard';
import { RequestRateLimiter } from './request-rate-limiter';

/** Per-user and per-tenant request limits. Import after AuthzModule so its guard runs last (it needs the caller). */
@Module({ providers: [RequestRateLimiter, { provide: APP_GUARD, useClass: RateLimitGuard }] })
export class RateLimitModule {}
