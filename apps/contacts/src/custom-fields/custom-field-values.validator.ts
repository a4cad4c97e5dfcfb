import { Injectable } from '@nestjs/common';
import { applyCustomFieldValues, type CustomFieldValues } from '@crm/service-kit';
import { validationFailed } from '../shared/errors';
import { CustomFieldEntity, CustomFieldRepository } from './custom-field.repository';

export type { CustomFieldValues };

/**
 * Checks the `customFields` of a contact or company against the tenant's definitions: known
 * keys, values of the defined type, select values among the options, required fields present.
 * Every problem is reported at once, each named by its path in the request (`contact.customFields.<key>`).
 */
@Injectable()
export class CustomFieldValuesValidator {
  constructor(private readonly definitions: CustomFieldRepository) {}

  /**
   * The values to store: `current` with `patch` applied (a null clears a key). On create
   * (`current` undefined) required fields must be there; on update they must not be cleared.
   * `path` names the values in the request (`contact.customFields`, `patch.customFields`).
   */
  async apply(
    tenantId: string,
    entity: CustomFieldEntity,
    path: string,
    patch: CustomFieldValues | undefined,
    current?: CustomFieldValues,
  ): Promise<CustomFieldValues> {
    const creating = current === undefined;
    if (!creating && patch === undefined) return current;
    const { values, issues } = applyCustomFieldValues(await this.definitions.list(tenantId, entity), path, patch, current, { requireAll: creating });
    if (issues.length) throw validationFailed(issues);
    return values;
  }
}
