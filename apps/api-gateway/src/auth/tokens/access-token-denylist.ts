import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@crm/observability';
import type Redis from 'ioredis';
import { AppConfig } from '../../app.config';

/** Access tokens revoked before their expiry (logout), by jti, kept in Redis until they expire. */
@Injectable()
export class AccessTokenDenylist {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async revoke(jti: string, expiresAtSeconds: number): Promise<void> {
    const ttl = Math.max(1, expiresAtSeconds - Math.floor(Date.now() / 1000) + 1);
    await this.redis.set(this.key(jti), '1', 'EX', ttl);
  }

  async isRevoked(jti: string): Promise<boolean> {
    return (await this.redis.exists(this.key(jti))) === 1;
  }

  private key(jti: string): string {
    return `${this.config.AUTH_REDIS_PREFIX}revoked-jti:${jti}`;
  }
}
