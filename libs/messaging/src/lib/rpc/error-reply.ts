import { Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { ContractViolation, DomainError, ERROR_CODES, ErrorReply, validationFailed } from '@crm/contracts';

const logger = new Logger('RpcServer');
const CODES = new Set<string>(ERROR_CODES);

/**
 * What a caller learns of a failure: domain errors keep their stable code; anything else is
 * logged here (with the correlation id) and leaves as INTERNAL, without details.
 */
export function toErrorReply(error: unknown, where: { type: string; correlationId?: string }): ErrorReply {
  // A request that breaks its contract: the same VALIDATION_FAILED as any other invalid input.
  if (error instanceof ContractViolation) return toErrorReply(validationFailed(error.issues, error.message), where);
  if (error instanceof DomainError) return { code: error.code, message: error.message, details: error.details };
  if (error instanceof SyntaxError)
    return toErrorReply(validationFailed([{ path: '', message: 'request body is not JSON' }], 'request body is not JSON'), where);
  // A guard that said no (Nest throws RpcException('Forbidden resource')).
  if (error instanceof RpcException) return { code: 'FORBIDDEN', message: String(error.message) };
  if (isErrorReply(error)) return error;
  logger.error(`${where.type} failed (correlation id ${where.correlationId ?? 'none'}): ${(error as Error)?.stack ?? String(error)}`);
  return { code: 'INTERNAL', message: 'internal error' };
}

export function isErrorReply(value: unknown): value is ErrorReply {
  return typeof value === 'object' && value !== null && CODES.has((value as ErrorReply).code) && typeof (value as ErrorReply).message === 'string';
}
