import { randomBytes, randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { createSupportForm, DomainError, listSupportForms, RpcRequest, setSupportFormActive } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { SupportFormRepository } from '../support-form.repository';
import { toSupportForm } from '../support-form.mapper';

/** A tenant's support web forms: each gets an unguessable key (24 random bytes) for its public route. */
@Controller()
export class ManageSupportFormsHandler {
  constructor(
    private readonly forms: SupportFormRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(createSupportForm, { scope: 'tenant' })
  async create({ form }: RpcRequest<typeof createSupportForm>, { tenantId }: TenantCallContext) {
    const row = await this.forms.insert(tenantId, { id: randomUUID(), formKey: randomBytes(24).toString('base64url'), ...form }, this.clock.now());
    return toSupportForm(row);
  }

  @OnRpc(listSupportForms, { scope: 'tenant' })
  async list(_request: RpcRequest<typeof listSupportForms>, { tenantId }: TenantCallContext) {
    return { data: (await this.forms.list(tenantId)).map(toSupportForm) };
  }

  @OnRpc(setSupportFormActive, { scope: 'tenant' })
  async setActive({ id, active }: RpcRequest<typeof setSupportFormActive>, { tenantId }: TenantCallContext) {
    const row = await this.forms.setActive(tenantId, id, active);
    if (!row) throw new DomainError('NOT_FOUND', `support form ${id} not found.`);
    return toSupportForm(row);
  }
}
