import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '@crm/observability';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../app.config';
import { RedisAnswers } from '../../redis/redis-answers';

/** The response a completed request gave, replayed for a retry with the same key and body. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as sent; base64 when it was binary. */
  body: string | null;
  encoding: 'utf8' | 'base64';
}

export type IdempotencyRecord = { state: 'in-flight'; fingerprint: string; owner: string } | ({ state: 'completed'; fingerprint: string } & StoredResponse);

/** Our own in-flight marker (its exact stored text), needed to complete or release only what we reserved. */
export interface Reservation {
  recordKey: string;
  marker: string;
}

export type ReserveOutcome = { reserved: Reservation } | { existing: IdempotencyRecord | undefined };

/** The records that hold a contact's data (so erasure can find them): the tenant's and the contact ids. */
export interface RecordSubjects {
  tenantId: string;
  contactIds: readonly string[];
}

// Write only if the key still holds our marker: a request slower than the in-flight TTL must not
// overwrite the reservation of a retry that started after its marker expired.
const SET_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end return nil`;
const DELETE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Idempotency records in Redis: an in-flight marker (short TTL, so a crash frees the key), then the
 * stored response. A request's commands fail with DependencyUnavailableError (503) when Redis is
 * down or does not answer in time (RedisAnswers).
 */
@Injectable()
export class IdempotencyRecords {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly answers: RedisAnswers,
  ) {}

  /** Reserves the key atomically (SET NX), or returns what holds it. */
  async reserve(recordKey: string, fingerprint: string): Promise<ReserveOutcome> {
    const marker = JSON.stringify({ state: 'in-flight', fingerprint, owner: randomUUID() } satisfies IdempotencyRecord);
    // Twice: the holder's marker may expire between our SET and GET.
    for (let attempt = 0; attempt < 2; attempt++) {
      const set = await this.answers.of(this.redis.set(recordKey, marker, { PX: this.config.GATEWAY_IDEMPOTENCY_IN_FLIGHT_TTL_MS, NX: true }));
      if (set === 'OK') return { reserved: { recordKey, marker } };
      const existing = await this.answers.of(this.redis.get(recordKey));
      if (existing !== null) return { existing: JSON.parse(existing) as IdempotencyRecord };
    }
    return { existing: undefined };
  }

  /**
   * Stores the response in place of our marker. With `subjects`, the record is also listed under
   * each contact it concerns (a per-tenant set, with the record's TTL), for forgetContact.
   */
  async complete(reservation: Reservation, response: StoredResponse, subjects?: RecordSubjects): Promise<void> {
    const { fingerprint } = JSON.parse(reservation.marker) as IdempotencyRecord;
    const record = JSON.stringify({ state: 'completed', fingerprint, ...response } satisfies IdempotencyRecord);
    const ttl = this.config.GATEWAY_IDEMPOTENCY_TTL_MS;
    const stored = await this.answers.of(this.redis.eval(SET_IF_OWNER, { keys: [reservation.recordKey], arguments: [reservation.marker, record, String(ttl)] }));
    if (stored === null || !subjects?.contactIds.length) return;
    const index = this.redis.multi();
    for (const contactId of new Set(subjects.contactIds)) {
      const key = this.contactIndexKey(subjects.tenantId, contactId);
      index.sAdd(key, reservation.recordKey).pExpire(key, ttl);
    }
    await this.answers.of(index.exec());
  }

  /** Deletes every stored response that concerns the contact (it was erased), and the index. Returns how many. */
  async forgetContact(tenantId: string, contactId: string): Promise<number> {
    const indexKey = this.contactIndexKey(tenantId, contactId);
    const recordKeys = await this.redis.sMembers(indexKey);
    const deleted = recordKeys.length ? await this.redis.del(recordKeys) : 0;
    await this.redis.del(indexKey);
    return deleted;
  }

  private contactIndexKey(tenantId: string, contactId: string): string {
    return `${this.config.AUTH_REDIS_PREFIX}idempotency-by-contact:${tenantId}:${contactId}`;
  }

  /** Frees the key so the client may retry (the request failed on our side). */
  async release(reservation: Reservation): Promise<void> {
    await this.answers.of(this.redis.eval(DELETE_IF_OWNER, { keys: [reservation.recordKey], arguments: [reservation.marker] }));
  }
}
