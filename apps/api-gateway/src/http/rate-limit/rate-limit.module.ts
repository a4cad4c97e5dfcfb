import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../../auth/auth.module';
import { RateLimitGuard } from './rate-limit.guard';
import { RequestRateLimiter } from './request-rate-limiter';

/**
 * Per-user, per-tenant and per-IP request limits, with the access-token revocation check in the
 * same Redis round trip. Import after AuthzModule so its guard runs last (it needs the caller).
 */
@Module({ imports: [AuthModule], providers: [RequestRateLimiter, { provide: APP_GUARD, useClass: RateLimitGuard }] })
export class RateLimitModule {}
