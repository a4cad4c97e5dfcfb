import { PipeTransform } from '@nestjs/common';
import { checkAgainst, validationFailed } from '@crm/contracts';
import type { z } from 'zod';

/**
 * Validates a body (or any argument) with a zod schema: `@Body(new ZodValidationPipe(schema))`.
 * The HTTP trust boundary's check, with the same function and the same error as a service's at
 * the bus (`errors: [{ field, message, code }]`, fields named in the body).
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  /** Public so the OpenAPI document can describe the route from the same schema that validates it. */
  constructor(readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const checked = checkAgainst(this.schema, value ?? {});
    if (!checked.ok) throw validationFailed(checked.issues);
    return checked.data;
  }
}
