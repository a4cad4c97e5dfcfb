import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../../auth/auth.types';
import { IdempotencyRecords, RecordSubjects, Reservation, StoredResponse } from './idempotency-records';
import { IdempotentExchanges } from './idempotent-exchanges';

/** Headers of the first response worth giving a retry; the rest (dates, rate limits, correlation id) belong to each response. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

/**
 * A Fastify onSend hook: sees every response as it leaves, after the exception filter, so it
 * records exactly what the client got, errors included.
 *  - 2xx, 3xx and 4xx are stored and replayed (the outcome is final: retrying the same request
 *    gives the same answer, as the draft allows).
 *  - 5xx (unexpected errors, timeouts of a service) release the key: the outcome is unknown,
 *    the client may retry and the request runs again.
 * The record is written before the response is sent, so a prompt retry is replayed, not refused.
 */
@Injectable()
export class IdempotencyResponseHook implements OnModuleInit {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly records: IdempotencyRecords,
    private readonly exchanges: IdempotentExchanges,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Callback style, so that a response without an Idempotency-Key (nearly all) costs no promise.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const exchange = this.exchanges.take(request);
      if (!exchange) return done(null, payload);
      if (exchange.kind === 'replay') return done(null, replay(reply, exchange.response));
      this.record(request, reply, payload, exchange.reservation).then(
        () => done(null, payload),
        (error: Error) => done(error),
      );
    });
  }

  private async record(request: FastifyRequest, reply: FastifyReply, payload: unknown, reservation: Reservation): Promise<void> {
    const response = reply.statusCode < 500 ? storable(reply, payload) : undefined;
    try {
      if (response) await this.records.complete(reservation, response, subjectsOf(request, response));
      else await this.records.release(reservation);
    } catch (error) {
      // The response is still sent; the in-flight marker expires on its own.
      this.logger.warn(`could not ${response ? 'record' : 'release'} an Idempotency-Key: ${(error as Error).message}`);
    }
  }
}

const CONTACT_ROUTES = '/api/v1/contacts';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The contacts a stored response of a contact route may hold: the `:id` / `:contactId` of the
 * path, the `mergedId` of a merge, and the `id` / `contactId` of the body returned. Erasing any of
 * them deletes the record (IdempotencyErasureHandler).
 */
function subjectsOf(request: FastifyRequest & { user?: AuthenticatedUser }, response: StoredResponse): RecordSubjects | undefined {
  const route = request.routeOptions.url ?? '';
  if (!request.user || (route !== CONTACT_ROUTES && !route.startsWith(`${CONTACT_ROUTES}/`))) return undefined;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const candidates: unknown[] = [params['id'], params['contactId'], (request.body as { mergedId?: unknown } | null)?.mergedId];
  if (response.body !== null && response.encoding === 'utf8') {
    try {
      const body = JSON.parse(response.body) as { id?: unknown; contactId?: unknown } | null;
      candidates.push(body?.id, body?.contactId);
    } catch {
      // not JSON: nothing more to index
    }
  }
  const contactIds = candidates.filter((value): value is string => typeof value === 'string' && UUID.test(value));
  return { tenantId: request.user.tenantId, contactIds };
}

function replay(reply: FastifyReply, response: StoredResponse): string | Buffer | null {
  void reply.code(response.status).headers(response.headers).header('idempotent-replayed', 'true');
  if (response.body === null) return null;
  return response.encoding === 'base64' ? Buffer.from(response.body, 'base64') : response.body;
}

/** The response as it can be stored, or undefined when its body is a stream (then the key is released). */
function storable(reply: FastifyReply, payload: unknown): StoredResponse | undefined {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  const base = { status: reply.statusCode, headers };
  if (payload === undefined || payload === null) return { ...base, body: null, encoding: 'utf8' };
  if (typeof payload === 'string') return { ...base, body: payload, encoding: 'utf8' };
  if (Buffer.isBuffer(payload)) return { ...base, body: payload.toString('base64'), encoding: 'base64' };
  return undefined;
}
