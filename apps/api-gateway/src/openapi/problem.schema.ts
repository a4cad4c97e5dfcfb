import type { ResponseObject, SchemaObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../http/problem-details.filter';

/** RFC 9457 problem details as ProblemDetailsFilter writes them: every error response of the API. */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'correlationId'],
  properties: {
    type: { type: 'string', description: 'Stable kind of problem, e.g. `urn:crm:problem:validation-failed`.' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'Human-readable explanation; never a stack trace.' },
    instance: { type: 'string', description: 'The request path.' },
    correlationId: { type: 'string', description: 'Quote it when reporting a problem; it names the request in every log.' },
    errors: {
      type: 'array',
      description: 'One entry per invalid field (400).',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', example: 'email' }, message: { type: 'string' } },
      },
    },
  },
};

export const PROBLEM_SCHEMA_NAME = 'Problem';

/** An error response whose body is the one Problem schema. */
export function problemResponse(description: string, headers?: ResponseObject['headers']): ResponseObject {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } } },
  };
}
