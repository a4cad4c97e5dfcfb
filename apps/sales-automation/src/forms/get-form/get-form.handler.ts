import { Controller } from '@nestjs/common';
import { getLeadForm, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { FormLookup } from '../form-lookup';
import { toLeadForm } from '../lead-form.mapper';

@Controller()
export class GetFormHandler {
  constructor(private readonly lookup: FormLookup) {}

  @OnRpc(getLeadForm, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getLeadForm>, { tenantId }: TenantCallContext) {
    return toLeadForm(await this.lookup.live(tenantId, id));
  }
}
