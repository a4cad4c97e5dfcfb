/**
 * Stable error codes shared by every service and both gateways. Services throw DomainError with
 * one of these; the RPC edge sends the code, and the gateway maps it to an HTTP status.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'UNKNOWN_MESSAGE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The error part of an RPC reply: what crosses the bus; never a stack trace. */
export interface ErrorReply {
  code: ErrorCode;
  message: string;
  details?: unknown;
}
