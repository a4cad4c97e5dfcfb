import { ApiResponse, type ResponseObject, type SchemaObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details.filter';

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
        properties: {
          field: { type: 'string', example: 'emails.0.address', description: 'The path of the field in the request body; `(body)` for the body as a whole.' },
          message: { type: 'string' },
          code: { type: 'string', example: 'invalid_format', description: 'What kind of problem, when the schema check found it (zod issue code).' },
        },
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

/** Documents an error status a route answers beyond those every route of its kind does (see describeOperations). */
export const ApiProblem = (status: number, description: string) => ApiResponse({ status, ...problemResponse(description) });
