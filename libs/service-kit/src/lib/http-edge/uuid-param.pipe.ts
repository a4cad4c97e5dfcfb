import { PipeTransform } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { z } from 'zod';

const uuid = z.uuid();

/** A record id in the path: a malformed one is a 400 naming the parameter, never a 500 further in. */
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly name = 'id') {}

  transform(value: string): string {
    if (uuid.safeParse(value).success) return value;
    throw new DomainError('VALIDATION_FAILED', 'The request is invalid.', { errors: [{ field: this.name, message: 'must be a UUID' }] });
  }
}
