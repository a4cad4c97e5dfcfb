import { Controller } from '@nestjs/common';
import { defineTicketField, deleteTicketField, listTicketFields, RpcRequest, updateTicketField } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ManageTicketFieldsService } from './manage-ticket-fields.service';

@Controller()
export class ManageTicketFieldsHandler {
  constructor(private readonly service: ManageTicketFieldsService) {}

  @OnRpc(defineTicketField, { scope: 'tenant' })
  define(request: RpcRequest<typeof defineTicketField>, { tenantId }: TenantCallContext) {
    return this.service.define(tenantId, request);
  }

  @OnRpc(listTicketFields, { scope: 'tenant' })
  list(_request: RpcRequest<typeof listTicketFields>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId);
  }

  @OnRpc(updateTicketField, { scope: 'tenant' })
  update(request: RpcRequest<typeof updateTicketField>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }

  @OnRpc(deleteTicketField, { scope: 'tenant' })
  delete(request: RpcRequest<typeof deleteTicketField>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
