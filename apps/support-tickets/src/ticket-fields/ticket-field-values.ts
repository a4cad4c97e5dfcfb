import { Injectable } from '@nestjs/common';
import { applyCustomFieldValues, type CustomFieldValues } from '@crm/service-kit';
import { validationFailed } from '../tickets/ticket-errors';
import { TicketFieldRepository } from './ticket-field.repository';

/** The statuses that need every field `requiredToSolve` to hold a value. */
const SOLVING = new Set(['solved', 'closed']);

/**
 * A ticket's `customFields` against the tenant's ticket fields: known keys, values of the field's
 * type, a select's options; once the ticket is solved or closed, the fields required to solve.
 * Every problem at once, each named by its path (`ticket.customFields.<key>`, `patch.customFields.<key>`).
 */
@Injectable()
export class TicketFieldValues {
  constructor(private readonly fields: TicketFieldRepository) {}

  /** The values to store: `current` with `patch` applied (a null clears a key), for a ticket in `status`. */
  async apply(tenantId: string, path: string, patch: CustomFieldValues | undefined, current: CustomFieldValues, status: string): Promise<CustomFieldValues> {
    const solving = SOLVING.has(status);
    if (patch === undefined && !solving) return current;
    const rules = (await this.fields.list(tenantId)).map((f) => ({ key: f.key, type: f.type, options: f.options, required: solving && f.required_to_solve }));
    const { values, issues } = applyCustomFieldValues(rules, path, patch, current, { requireAll: solving });
    if (issues.length) throw validationFailed(issues);
    return values;
  }
}
