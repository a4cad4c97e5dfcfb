import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ContractViolation, DomainError, ErrorCode, FieldError, validationFailed } from '@crm/contracts';
import { BrokerUnavailableError, NoConsumersError, RemoteError, RpcTimeoutError } from '@crm/messaging';
import { RequestContext } from '@crm/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DependencyUnavailableError } from './dependency-unavailable.error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  UNKNOWN_MESSAGE: 400,
  INTERNAL: 500,
};

// RFC 9457 members; anything else an HttpException carries goes out as an extension member.
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'correlationId', 'message', 'error', 'statusCode']);

/** The invalid fields of a 400: one shape, whichever edge found them (see validationFailed in @crm/contracts). */
export type { FieldError };

/** Seconds a client is asked to wait (Retry-After) when a service or a server is unreachable: long enough for a restart or a failover. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  extensions?: Record<string, unknown>;
  retryAfterSeconds?: number;
}

/** Details a DomainError may carry that the HTTP edge understands. */
export interface ProblemExtras {
  errors?: FieldError[];
  /** Possible duplicates of a record being created (contacts), for the client to offer a merge. */
  duplicates?: unknown[];
  retryAfterSeconds?: number;
  /** A finer code than the status's (e.g. ORGANIZATION_REQUIRED for a 409): the problem's type and its `code` member. */
  problemCode?: string;
  /** The organisations a login may choose from (ORGANIZATION_REQUIRED): only those where the password matched. */
  organizations?: { slug: string; name: string }[];
}

/**
 * The one exception filter of the HTTP edge: every error leaves as application/problem+json
 * (RFC 9457) with the correlation id; unexpected errors are logged and never leak their message or stack.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  constructor(private readonly context: RequestContext) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    const body: Record<string, unknown> = {
      type: problem.type,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance: request.url,
      correlationId: this.context.correlationId,
      ...problem.extensions,
    };
    if (problem.status === 401) void reply.header('www-authenticate', 'Bearer');
    if (problem.retryAfterSeconds !== undefined) void reply.header('retry-after', String(problem.retryAfterSeconds));
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): Problem {
    // A contract check the gateway ran itself (an event, a reply): the one validation error.
    const error = exception instanceof ContractViolation ? validationFailed(exception.issues) : exception;
    if (error instanceof DomainError) return fromCode(error.code, error.message, error.details);
    const busProblem = this.fromBus(exception);
    if (busProblem) return busProblem;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const extensions =
        typeof response === 'object' && response !== null ? Object.fromEntries(Object.entries(response).filter(([key]) => !RESERVED.has(key))) : undefined;
      const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      return {
        type: status === 404 ? problemType('not_found') : 'about:blank',
        title: titleOf(status),
        status,
        detail: status >= 500 || typeof message !== 'string' ? undefined : message,
        extensions,
      };
    }
    const status = statusOfFrameworkError(exception);
    if (status) return { type: 'about:blank', title: titleOf(status), status, detail: (exception as Error).message };
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { type: problemType('internal'), title: titleOf(500), status: 500, detail: 'An unexpected error occurred.' };
  }

  /**
   * Errors of a call over the bus, or of a server the edge itself needs (DependencyUnavailableError).
   * What reaches the client is only what it can act on (wait and retry); queue, message and server
   * names stay in the gateway's log.
   */
  private fromBus(exception: unknown): Problem | undefined {
    if (exception instanceof RemoteError) return fromRemote(exception);
    if (exception instanceof RpcTimeoutError) {
      this.logger.warn(exception.message);
      return { type: problemType('upstream_timeout'), title: titleOf(504), status: 504, detail: 'The service did not answer in time.' };
    }
    if (exception instanceof NoConsumersError || exception instanceof BrokerUnavailableError || exception instanceof DependencyUnavailableError) {
      this.logger.warn(exception.message);
      return {
        type: problemType('service_unavailable'),
        title: titleOf(503),
        status: 503,
        detail: 'The service is unavailable right now; try again shortly.',
        retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
      };
    }
    return undefined;
  }
}

function fromCode(code: ErrorCode, message: string, details: unknown, status = STATUS_BY_CODE[code] ?? 500): Problem {
  const extras = (details ?? {}) as ProblemExtras;
  return {
    type: problemType((typeof extras.problemCode === 'string' ? extras.problemCode : code).toLowerCase()),
    title: titleOf(status),
    status,
    detail: status >= 500 ? undefined : message,
    extensions: extensionsOf(extras),
    retryAfterSeconds: typeof extras.retryAfterSeconds === 'number' ? extras.retryAfterSeconds : undefined,
  };
}

/** The details a client can act on: the invalid fields, or the records a create looks like (409). */
function extensionsOf(extras: ProblemExtras): Record<string, unknown> | undefined {
  const extensions: Record<string, unknown> = {};
  if (Array.isArray(extras.errors)) extensions['errors'] = extras.errors;
  if (Array.isArray(extras.duplicates)) extensions['duplicates'] = extras.duplicates;
  if (typeof extras.problemCode === 'string') extensions['code'] = extras.problemCode;
  if (Array.isArray(extras.organizations)) extensions['organizations'] = extras.organizations;
  return Object.keys(extensions).length ? extensions : undefined;
}

/**
 * A service's domain error keeps its meaning at the edge (404, 409, 400 with the fields...).
 * Two codes do not: INTERNAL and UNKNOWN_MESSAGE say the service failed or does not know what
 * the gateway sent (versions out of step), which is not the client's doing and not a fault of the
 * gateway itself: 502 Bad Gateway, without the service's message (the service logged it under the
 * same correlation id, which the body carries).
 */
function fromRemote(error: RemoteError): Problem {
  if (error.code === 'INTERNAL' || error.code === 'UNKNOWN_MESSAGE') return fromCode('INTERNAL', error.message, undefined, 502);
  // A service's VALIDATION_FAILED has the gateway's own shape (`errors`); its message may name the
  // message type, which is the service's business, so the fields alone go out.
  if (error.code === 'VALIDATION_FAILED') return fromCode('VALIDATION_FAILED', 'The request is invalid.', error.details);
  return fromCode(error.code, error.message, error.details);
}

function problemType(code: string): string {
  return `urn:crm:problem:${code.replace(/_/g, '-')}`;
}

function titleOf(status: number): string {
  const name = HttpStatus[status];
  return name ? name.toLowerCase().replace(/(^|_)(\w)/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()) : 'Error';
}

/** Fastify's own 4xx errors (malformed JSON, body too large, unsupported media type) carry a statusCode. */
function statusOfFrameworkError(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
