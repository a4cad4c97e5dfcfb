import { Injectable } from '@nestjs/common';
import { ContractIssue, DomainError, fieldErrorsOf } from '@crm/contracts';
import { CustomFieldValues, CustomFieldValuesValidator } from '../custom-fields/custom-field-values.validator';
import { CustomFieldEntity, CustomFieldRepository } from '../custom-fields/custom-field.repository';

/**
 * The custom field values of a whole batch, checked by the service's own validator against the
 * tenant's definitions read once (not once per record). Every item's problems are collected and
 * named by the item (`contacts.3.customFields.<key>`).
 */
@Injectable()
export class ImportCustomFields {
  constructor(private readonly definitions: CustomFieldRepository) {}

  async applyAll(
    tenantId: string,
    entity: CustomFieldEntity,
    listPath: string,
    items: (CustomFieldValues | undefined)[],
  ): Promise<{ values: CustomFieldValues[]; issues: ContractIssue[] }> {
    const definitions = await this.definitions.list(tenantId, entity);
    const validator = new CustomFieldValuesValidator({ list: () => Promise.resolve(definitions) } as unknown as CustomFieldRepository);
    const values: CustomFieldValues[] = [];
    const issues: ContractIssue[] = [];
    for (const [index, patch] of items.entries()) {
      try {
        values.push(await validator.apply(tenantId, entity, `${listPath}.${index}.customFields`, patch));
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
        issues.push(...fieldErrorsOf(error.details).map(({ field, message }) => ({ path: field, message })));
        values.push({});
      }
    }
    return { values, issues };
  }
}
