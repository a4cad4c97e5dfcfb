import { createPublicKey, verify } from 'node:crypto';
import * as amqplib from 'amqplib';
import { Actor, ContractViolation, DomainError, ErrorReply, okReplyText, RpcReply, validationFailed } from '@crm/contracts';
import { closeAmqp } from './amqp-close';
import { testJwtKeys } from './caller-tokens';
import { testEnv } from './env';

/** What a test handler learns of a request: the caller from its verified token, and its ids. */
export interface TestCall {
  actor: Actor;
  token: string;
  correlationId?: string;
}
export type TestHandler = (request: unknown, call: TestCall) => unknown;

export interface TestResponderOptions {
  /** The service whose request queue it consumes (`<prefix><service>.rpc`). */
  service: string;
  busPrefix: string;
  /** Replies by message name (`contract.name`); any other message gets UNKNOWN_MESSAGE. */
  handlers: Record<string, TestHandler>;
  /** Answer as a service of the previous release: `{ ok, data }`, without the `version` key (upgrade-order tests). */
  previousRelease?: boolean;
}

/**
 * Stands in for a service on the bus, without its app or a database: consumes the service's
 * request queue as the messaging library declares it, verifies the caller's token against the
 * test key pair, and answers from a map of handlers with the wire format of the library
 * (okReplyText's layout or a typed error; DomainError keeps its code, anything else is INTERNAL).
 */
export async function startTestResponder(options: TestResponderOptions): Promise<{ close(): Promise<void> }> {
  const { busPrefix: p, service, handlers } = options;
  const connection = await amqplib.connect((await testEnv()).rabbitmqUrl, { noDelay: true });
  const channel = await connection.createChannel();
  const queue = `${p}${service}.rpc`;
  // Declared exactly as topology.ts declares them.
  await channel.assertExchange(`${p}crm.requests`, 'topic', { durable: true });
  await channel.assertExchange(`${p}crm.requests.by-service`, 'direct', { durable: true });
  await channel.assertExchange(`${p}crm.replies`, 'direct', { durable: true });
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
  await channel.bindQueue(queue, `${p}crm.requests`, `${service}.#`);
  await channel.bindQueue(queue, `${p}crm.requests.by-service`, service);
  const publicKey = createPublicKey(testJwtKeys().publicKeyPem);

  const answer = async (msg: amqplib.ConsumeMessage): Promise<unknown> => {
    const body = JSON.parse(msg.content.toString('utf8')) as { payload?: unknown; token?: unknown; correlationId?: string };
    const actor = verifiedActor(body.token, publicKey);
    const handler = handlers[msg.properties.type as string];
    if (!handler) throw new DomainError('UNKNOWN_MESSAGE', `${service} does not handle ${msg.properties.type}`);
    const correlationId = body.correlationId ?? msg.properties.correlationId;
    return handler(body.payload, { actor, token: body.token as string, correlationId });
  };

  const { consumerTag } = await channel.consume(queue, (msg) => {
    if (!msg) return;
    void answer(msg)
      .then(
        (data) => (options.previousRelease ? JSON.stringify({ ok: true, data }) : okReplyText(data)),
        (error: unknown) => JSON.stringify({ ok: false, error: errorReply(error) } satisfies RpcReply),
      )
      .then((reply) => {
        if (msg.properties.replyTo) {
          channel.publish(`${p}crm.replies`, msg.properties.replyTo, Buffer.from(reply), {
            correlationId: msg.properties.correlationId,
            contentType: 'application/json',
          });
        }
        channel.ack(msg);
      });
  });

  return {
    async close() {
      await channel.cancel(consumerTag).catch(() => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await closeAmqp(connection);
    },
  };
}

function errorReply(thrown: unknown): ErrorReply {
  // As the messaging library's RPC edge: a contract violation is the one VALIDATION_FAILED.
  const error = thrown instanceof ContractViolation ? validationFailed(thrown.issues, thrown.message) : thrown;
  if (error instanceof DomainError) return { code: error.code, message: error.message, details: error.details };
  return { code: 'INTERNAL', message: 'internal error' };
}

/** RS256 signed by the test key pair, not expired, with a tenant: as the services verify callers. */
function verifiedActor(token: unknown, publicKey: ReturnType<typeof createPublicKey>): Actor {
  const refuse = (why: string) => new DomainError('UNAUTHENTICATED', `caller token refused: ${why}`);
  if (typeof token !== 'string') throw refuse('none');
  const [header, claims, signature] = token.split('.');
  if (!signature) throw refuse('malformed');
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string }).alg;
  if (alg !== 'RS256' || !verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'))) throw refuse('signature');
  const { sub, tid, roles, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (typeof exp !== 'number' || exp * 1000 <= Date.now()) throw refuse('expired');
  if (typeof tid !== 'string' || typeof sub !== 'string' || !Array.isArray(roles)) throw refuse('claims');
  return { tenantId: tid, userId: sub, roles: roles as Actor['roles'] };
}
