import { Controller } from '@nestjs/common';
import { RpcRequest, listCustomFields } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { toCustomFieldDefinition } from '../custom-field.mapper';
import { CustomFieldRepository } from '../custom-field.repository';

@Controller()
export class ListCustomFieldsHandler {
  constructor(private readonly repository: CustomFieldRepository) {}

  @OnRpc(listCustomFields, { scope: 'tenant' })
  async handle(request: RpcRequest<typeof listCustomFields>, { tenantId }: TenantCallContext) {
    return { data: (await this.repository.list(tenantId, request.entity)).map(toCustomFieldDefinition) };
  }
}
