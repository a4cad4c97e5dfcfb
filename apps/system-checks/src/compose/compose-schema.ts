import Ajv, { ErrorObject } from 'ajv';
import schema from './compose-spec.schema.json';

// The schema declares `$schema: https://json-schema.org/draft-07/schema`, a spelling ajv does not
// register (it knows http://…/draft-07/schema#); it is draft-07, ajv's default, so drop the tag.
const { $schema: _draft, ...composeSpec } = schema as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(composeSpec);

/** Schema errors, one line each: `/services/contacts/depends_on/x/condition: must be equal to one of …`. */
export function composeSchemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const detail =
    error.keyword === 'additionalProperties'
      ? ` (${String(error.params['additionalProperty'])})`
      : error.keyword === 'enum'
        ? ` (${(error.params['allowedValues'] as unknown[]).join(', ')})`
        : '';
  return `${where}: ${error.message ?? error.keyword}${detail}`;
}
