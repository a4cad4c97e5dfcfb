import { Injectable } from '@nestjs/common';
import { CustomFieldDefinition, DomainError, RpcRequest, defineCustomField } from '@crm/contracts';
import { toCustomFieldDefinition } from '../custom-field.mapper';
import { CustomFieldRepository } from '../custom-field.repository';
import { checkOptions } from '../custom-field-options';

@Injectable()
export class DefineCustomFieldService {
  constructor(private readonly repository: CustomFieldRepository) {}

  async define(tenantId: string, { definition }: RpcRequest<typeof defineCustomField>): Promise<CustomFieldDefinition> {
    const options = checkOptions(definition.type, definition.options, 'definition.options');
    const row = await this.repository.create(tenantId, definition.entity, definition.key, {
      label: definition.label,
      type: definition.type,
      options,
      required: definition.required,
    });
    if (!row) {
      throw new DomainError('CONFLICT', `A ${definition.entity} custom field "${definition.key}" already exists.`, [
        { path: 'definition.key', message: 'already defined' },
      ]);
    }
    return toCustomFieldDefinition(row);
  }
}
