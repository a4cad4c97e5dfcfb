import type { Pool } from 'pg';
import type { EventEnvelope } from '@crm/contracts';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/**
 * Hooks that let fault tests kill a process at the exact moment that matters. Never set in
 * production code paths.
 */
export interface MessagingFaultHooks {
  /** After the broker confirmed a relay batch, before the rows are marked sent. */
  relayAfterConfirm?: (eventIds: string[]) => void | Promise<void>;
  /** Inside the consumer's transaction, after the handlers ran, before commit. */
  consumerBeforeCommit?: (envelope: EventEnvelope) => void | Promise<void>;
  /** After the consumer's transaction committed, before the ack. */
  consumerAfterCommit?: (envelope: EventEnvelope) => void | Promise<void>;
  /** In the middle of a relay batch: half its rows handed to the channel, their confirms not yet awaited. */
  relayMidBatch?: (publishedIds: string[]) => void | Promise<void>;
}

/**
 * The service's database for the bus's own statements (the outbox relay): plain `pg`, about a
 * quarter of the CPU per statement of Prisma's raw queries. Either a URL (the library opens a
 * small pool and closes it at shutdown) or a pool the service owns.
 */
export type MessagingDatabase = { url: string; poolSize?: number } | { pool: Pool };

export interface MessagingOptions {
  /** The owning service: names its queues, its inbox consumer and its events' `source`. */
  service: string;
  /** AMQP URL of the broker, with this service's own broker user (see tools/bus-users.sh). */
  url: string;
  /**
   * Broker user names are `<brokerUserPrefix><service>` (default `crm-`): an event is trusted
   * only if the broker says (AMQP user-id) that the user of the service owning its type
   * published it. When this service itself connects as a shared user (local development as
   * guest), events published by that same user are accepted too: the broker cannot tell
   * services apart then.
   */
  brokerUserPrefix?: string;
  /** Prefix for every exchange and queue name (test isolation). */
  namePrefix?: string;
  /** Topic exchange for domain events. */
  exchange?: string;
  /** Unacked event deliveries per consumer (batches run concurrently up to this; default 256, two batches). */
  prefetch?: number;
  /**
   * Deliveries applied in one transaction (each with its inbox row). A batch that fails is
   * applied again one message at a time, so retries and parking stay per message. 1: none.
   * Default 128 (was 32): a steady stream is applied in batches of ~50-110 events (~29 at 32),
   * so a batch's BEGIN, inbox insert, COMMIT with its WAL flush, and ack are paid that much less
   * often (outbox -> inbox, pairs on one machine: 0.63 -> 0.58 ms of CPU per event over every
   * process, RabbitMQ's 0.094 -> 0.080).
   */
  batchSize?: number;
  /** Where the relay runs its statements; without it they go through the Prisma client (slower). */
  database?: MessagingDatabase;
  /** Delay before each retry of a failed handler; its length is the number of retries before parking. */
  retryDelaysMs?: number[];
  /** Redeliveries (crash loops) the work queue allows before dead-lettering to the parking queue. */
  deliveryLimit?: number;
  /** Inbox rows are deleted after this long: longer than any redelivery window (default 7 days). */
  inboxRetentionMs?: number;
  relay?: {
    enabled?: boolean;
    batchSize?: number;
    /** How often the relay looks for rows committed by other replicas (its own wake it at once). */
    pollIntervalMs?: number;
    /** A publish not confirmed within this counts as unknown and is published again. */
    confirmTimeoutMs?: number;
    /** Sent rows are deleted after this long. */
    retentionMs?: number;
  };
  rpc?: {
    prefetch?: number;
    defaultTimeoutMs?: number;
    /** How long a "this queue has consumers" answer is trusted. */
    presenceTtlMs?: number;
    /**
     * Longest a command's transaction may last (the command inbox's, which the command's own
     * joins, ignoring its options): the longest command here is a read-model rebuild (30 min).
     */
    commandTransactionTimeoutMs?: number;
    /** Stored command replies (the command inbox) are deleted after this long (default 1 day). */
    commandReplyRetentionMs?: number;
    /**
     * For a caller whose broker user may send every request (a gateway): requests go on the
     * direct exchange routed by the owning service (TopologyNames.serviceRequestExchange), which
     * costs the broker less than matching the message name on the topic exchange. Default false.
     */
    routeByService?: boolean;
  };
  /**
   * How the RPC server verifies each request's caller: the access token the gateway forwards,
   * RS256 from `issuer`, checked against the gateway's JWKS (`jwksUrl`) or a pinned public key.
   */
  callers?: {
    /** Default: the local gateway's `http://127.0.0.1:3000/.well-known/jwks.json`. */
    jwksUrl?: string;
    /** PEM (SPKI) public key used instead of the JWKS when set. */
    publicKeyPem?: string;
    /** Default `crm-api-gateway` (the gateway's AUTH_JWT_ISSUER). */
    issuer?: string;
    /** The `aud` every caller token must carry (the gateway's AUTH_JWT_AUDIENCE). */
    audience?: string;
    /** Verified tokens remembered (the oldest remembered goes first; each at most until its `exp`). */
    cacheSize?: number;
    /**
     * Other gateways whose tokens are trusted too (the integration gateway's, for ERP clients),
     * each with its own issuer and key: a token is checked against the key of the issuer it names.
     */
    alsoTrusted?: TrustedIssuer[];
  };
  /** Start consuming events and RPC requests (default true). */
  consume?: boolean;
  /** How long start-up waits for the broker before going on without it (it connects later). */
  startTimeoutMs?: number;
  /** Time allowed for in-flight handlers and the final relay flush at shutdown. */
  shutdownTimeoutMs?: number;
  heartbeatSeconds?: number;
  faults?: MessagingFaultHooks;
}

/** A gateway whose caller tokens a service trusts: its `iss`, and its JWKS or a pinned public key. */
export interface TrustedIssuer {
  issuer: string;
  jwksUrl: string;
  /** PEM (SPKI) public key used instead of the JWKS when set. */
  publicKeyPem?: string;
}

export type ResolvedMessagingOptions = Required<Omit<MessagingOptions, 'faults' | 'relay' | 'rpc' | 'callers' | 'database'>> & {
  database?: MessagingDatabase;
  faults: MessagingFaultHooks;
  /** The broker user of `url` (AMQP's default, guest, when the URL names none). */
  brokerUser: string;
  callers: { jwksUrl: string; publicKeyPem?: string; issuer: string; audience: string; cacheSize: number; alsoTrusted: TrustedIssuer[] };
  relay: Required<NonNullable<MessagingOptions['relay']>>;
  rpc: Required<NonNullable<MessagingOptions['rpc']>>;
};

export function resolveOptions(options: MessagingOptions): ResolvedMessagingOptions {
  return {
    service: options.service,
    url: options.url,
    brokerUser: brokerUserOf(options.url),
    brokerUserPrefix: options.brokerUserPrefix ?? 'crm-',
    namePrefix: options.namePrefix ?? '',
    exchange: options.exchange ?? 'crm.events',
    prefetch: options.prefetch ?? 256,
    batchSize: Math.max(1, options.batchSize ?? 128),
    database: options.database,
    retryDelaysMs: options.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000],
    deliveryLimit: options.deliveryLimit ?? 20,
    inboxRetentionMs: options.inboxRetentionMs ?? 7 * 24 * 3600_000,
    relay: {
      enabled: options.relay?.enabled ?? true,
      batchSize: options.relay?.batchSize ?? 500,
      pollIntervalMs: options.relay?.pollIntervalMs ?? 100,
      confirmTimeoutMs: options.relay?.confirmTimeoutMs ?? 5_000,
      retentionMs: options.relay?.retentionMs ?? 7 * 24 * 3600_000,
    },
    rpc: {
      prefetch: options.rpc?.prefetch ?? 64,
      defaultTimeoutMs: options.rpc?.defaultTimeoutMs ?? 5_000,
      presenceTtlMs: options.rpc?.presenceTtlMs ?? 1_000,
      commandTransactionTimeoutMs: options.rpc?.commandTransactionTimeoutMs ?? 30 * 60_000,
      commandReplyRetentionMs: options.rpc?.commandReplyRetentionMs ?? 24 * 3600_000,
      routeByService: options.rpc?.routeByService ?? false,
    },
    callers: {
      jwksUrl: options.callers?.jwksUrl ?? 'http://127.0.0.1:3000/.well-known/jwks.json',
      publicKeyPem: options.callers?.publicKeyPem,
      issuer: options.callers?.issuer ?? 'crm-api-gateway',
      audience: options.callers?.audience ?? 'crm-api',
      cacheSize: options.callers?.cacheSize ?? 10_000,
      alsoTrusted: options.callers?.alsoTrusted ?? [],
    },
    consume: options.consume ?? true,
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    heartbeatSeconds: options.heartbeatSeconds ?? 5,
    faults: options.faults ?? {},
  };
}

function brokerUserOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || 'guest';
  } catch {
    return 'guest';
  }
}
