import { SetMetadata } from '@nestjs/common';

export const NO_IDEMPOTENCY_STORAGE_KEY = 'noIdempotencyStorage';

/**
 * The route's responses are never stored for Idempotency-Key replay: credential routes (login,
 * refresh, sign-up, any route answering with tokens), whose stored response would keep a token
 * pair in Redis in plaintext. Nothing is refused: the key is ignored and every request runs.
 */
export const NoIdempotencyStorage = () => SetMetadata(NO_IDEMPOTENCY_STORAGE_KEY, true);
