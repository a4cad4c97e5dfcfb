import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';

/** Marks a route or controller as reachable without authentication (auth guards read IS_PUBLIC_KEY). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

export const NOT_RATE_LIMITED_KEY = 'notRateLimited';

/**
 * A public route no request limit applies to: probes, public keys, scrapes (a gateway limits
 * every other @Public() route per client address; NOT_RATE_LIMITED_KEY tells it which to skip).
 */
export const NotRateLimited = () => SetMetadata(NOT_RATE_LIMITED_KEY, true);
