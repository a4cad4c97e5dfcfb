import { Injectable } from '@nestjs/common';
import { ErrorReply } from '@redis/client';
import { DependencyUnavailableError } from '@crm/service-kit';
import { AppConfig } from '../app.config';
import { SharedDeadline } from './shared-deadline';

/**
 * How a request waits on Redis: at most GATEWAY_REDIS_DEADLINE_MS (one deadline shared per
 * window, SharedDeadline), and a Redis that is down, closed or not answering fails with
 * DependencyUnavailableError (503 with Retry-After) instead of an unexpected error (500).
 * Redis's own error replies (a bad command or script: a bug here) stay what they are, and so
 * does a rejection that is not an Error (rate-limiter-flexible's RateLimiterRes: over the limit).
 */
@Injectable()
export class RedisAnswers {
  private readonly deadline: SharedDeadline;

  constructor(config: AppConfig) {
    this.deadline = new SharedDeadline(config.GATEWAY_REDIS_DEADLINE_MS);
  }

  of<T>(command: Promise<T>): Promise<T> {
    return this.deadline.bound(command, unavailable);
  }
}

function unavailable(error: unknown): unknown {
  return error instanceof Error && !(error instanceof ErrorReply) ? new DependencyUnavailableError('Redis', error) : error;
}
