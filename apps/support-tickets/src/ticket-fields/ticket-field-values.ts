import { Injectable } from '@nestjs/common';
import { applyCustomFieldValues, type CustomFieldValues } from '@crm/service-kit';
import { validationFailed } from '../tickets/ticket-errors';
import { TicketFieldRepository } from './ticket-field.repository';

/** The statuses that need every field `requiredToSolve` to hold a value. */
const SOLVING = new Set(['solved', 'closed']);

/**
 * A ticket's `customFields` against the tenant's ticket fields: known keys, values of the field's
 * type, a select's options; the fields required to solve must hold a value when the ticket moves
 * to solved or closed, and cannot be cleared while it is there (as Zendesk's: a field added later
 * does not hold up other changes of tickets solved before). Every problem at once, each named by
 * its path (`ticket.customFields.<key>`, `patch.customFields.<key>`).
 */
@Injectable()
export class TicketFieldValues {
  constructor(private readonly fields: TicketFieldRepository) {}

  /** The values to store: `current` with `patch` applied (a null clears a key), for a ticket going from status `from` to `to`. */
  async apply(tenantId: string, path: string, patch: CustomFieldValues | undefined, current: CustomFieldValues, from: string | null, to: string): Promise<CustomFieldValues> {
    const solved = SOLVING.has(to);
    const entering = solved && !(from !== null && SOLVING.has(from));
    if (patch === undefined && !entering) return current;
    const rules = (await this.fields.list(tenantId)).map((f) => ({ key: f.key, type: f.type, options: f.options, required: solved && f.required_to_solve }));
    const { values, issues } = applyCustomFieldValues(rules, path, patch, current, { requireAll: entering });
    if (issues.length) throw validationFailed(issues);
    return values;
  }
}
