import { SetMetadata } from '@nestjs/common';
import type { PublicRateLimitPolicy } from './request-rate-limiter';

export const PUBLIC_RATE_LIMIT_POLICY_KEY = 'publicRateLimitPolicy';

/**
 * Which per-IP budget a @Public() route spends (default 'public': GATEWAY_PUBLIC_RATE_LIMIT_*).
 * 'signup' (GATEWAY_SIGNUP_RATE_LIMIT_*) is the strict one, for routes that create a tenant.
 */
export const PublicRateLimit = (policy: PublicRateLimitPolicy) => SetMetadata(PUBLIC_RATE_LIMIT_POLICY_KEY, policy);
