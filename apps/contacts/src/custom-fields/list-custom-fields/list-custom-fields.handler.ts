import { Controller } from '@nestjs/common';
import { RpcRequest, listCustomFields } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { toCustomFieldDefinition } from '../custom-field.mapper';
import { CustomFieldRepository } from '../custom-field.repository';

@Controller()
export class ListCustomFieldsHandler {
  constructor(private readonly repository: CustomFieldRepository) {}

  @OnRpc(listCustomFields)
  async handle(request: RpcRequest<typeof listCustomFields>, context: RpcCallContext) {
    const rows = await this.repository.list(tenantOf(context), request.entity);
    return { data: rows.map(toCustomFieldDefinition) };
  }
}
