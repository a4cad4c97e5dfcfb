import { Injectable } from '@nestjs/common';
import { CustomFieldDefinition, DomainError, RpcRequest, updateCustomField } from '@crm/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion, notFound } from '../../shared/errors';
import { checkOptions } from '../custom-field-options';
import { toCustomFieldDefinition } from '../custom-field.mapper';
import { CustomFieldRepository } from '../custom-field.repository';

/** Label, options and `required` can change; entity, key and type cannot (stored values depend on them). */
@Injectable()
export class UpdateCustomFieldService {
  constructor(private readonly repository: CustomFieldRepository) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateCustomField>): Promise<CustomFieldDefinition> {
    const current = await this.repository.find(tenantId, id);
    if (!current) throw notFound('custom field', id);
    checkVersion(expectedVersion, current.version);
    const options = patch.options === undefined ? undefined : checkOptions(current.type, patch.options, 'patch.options');
    const row = await this.repository.update(tenantId, id, current.version, { ...patch, ...(options && { options }) });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The custom field changed meanwhile; read it again.');
    return toCustomFieldDefinition(row);
  }
}
