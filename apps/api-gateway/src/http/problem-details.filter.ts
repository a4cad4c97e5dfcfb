import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@crm/contracts';
import { RequestContext } from '@crm/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';

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

export interface FieldError {
  field: string;
  message: string;
}

/** Details a DomainError may carry that the HTTP edge understands. */
export interface ProblemExtras {
  errors?: FieldError[];
  retryAfterSeconds?: number;
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

  private toProblem(exception: unknown): {
    type: string;
    title: string;
    status: number;
    detail?: string;
    extensions?: Record<string, unknown>;
    retryAfterSeconds?: number;
  } {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_CODE[exception.code] ?? 500;
      const extras = (exception.details ?? {}) as ProblemExtras;
      return {
        type: problemType(exception.code.toLowerCase()),
        title: titleOf(status),
        status,
        detail: status >= 500 ? undefined : exception.message,
        extensions: extras.errors ? { errors: extras.errors } : undefined,
        retryAfterSeconds: extras.retryAfterSeconds,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const extensions =
        typeof response === 'object' && response !== null
          ? Object.fromEntries(Object.entries(response).filter(([key]) => !RESERVED.has(key)))
          : undefined;
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
