import { Controller } from '@nestjs/common';
import { RpcRequest, deleteCustomField } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { notFound } from '../../shared/errors';
import { CustomFieldRepository } from '../custom-field.repository';

/** Deletes the definition; values already stored under its key stay until the record is next written. */
@Controller()
export class DeleteCustomFieldHandler {
  constructor(private readonly repository: CustomFieldRepository) {}

  @OnRpc(deleteCustomField, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof deleteCustomField>, { tenantId }: TenantCallContext) {
    if (!(await this.repository.delete(tenantId, id))) throw notFound('custom field', id);
    return { id };
  }
}
