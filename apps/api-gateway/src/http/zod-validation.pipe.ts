import { PipeTransform } from '@nestjs/common';
import { DomainError, nulCharacterIssues } from '@crm/contracts';
import type { z } from 'zod';
import type { FieldError } from './problem-details.filter';

/** Validates a body (or any argument) with a zod schema: `@Body(new ZodValidationPipe(schema))`. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  /** Public so the OpenAPI document can describe the route from the same schema that validates it. */
  constructor(readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value ?? {});
    const issues = result.success
      ? nulCharacterIssues(result.data)
      : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    if (result.success && issues.length === 0) return result.data;
    const errors: FieldError[] = issues.map((issue) => ({ field: issue.path || '(body)', message: issue.message }));
    throw new DomainError('VALIDATION_FAILED', 'The request is invalid.', { errors });
  }
}
