import { Controller } from '@nestjs/common';
import { RpcRequest, deleteCustomField } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { notFound } from '../../shared/errors';
import { tenantOf } from '../../shared/tenant';
import { CustomFieldRepository } from '../custom-field.repository';

/** Deletes the definition; values already stored under its key stay until the record is next written. */
@Controller()
export class DeleteCustomFieldHandler {
  constructor(private readonly repository: CustomFieldRepository) {}

  @OnRpc(deleteCustomField)
  async handle({ id }: RpcRequest<typeof deleteCustomField>, context: RpcCallContext) {
    if (!(await this.repository.delete(tenantOf(context), id))) throw notFound('custom field', id);
    return { id };
  }
}
