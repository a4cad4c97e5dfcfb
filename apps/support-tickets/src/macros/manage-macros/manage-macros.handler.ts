import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { createMacro, deleteMacro, DomainError, listMacros, RpcRequest, updateMacro } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion } from '../../tickets/ticket-errors';
import { MacroRepository } from '../macro.repository';
import { checkTemplate, fieldsOf, macroNameTaken, macroNotFound, toMacro } from '../macro.mapper';

/** Macros: a name once per tenant, a reply template checked when saved, If-Match on changes. */
@Controller()
export class ManageMacrosHandler {
  constructor(
    private readonly macros: MacroRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(createMacro, { scope: 'tenant' })
  async create({ macro }: RpcRequest<typeof createMacro>, { tenantId }: TenantCallContext) {
    checkTemplate(macro.reply);
    const row = await this.macros.insert(tenantId, randomUUID(), macro, this.clock.now());
    if (!row) throw macroNameTaken(macro.name);
    return toMacro(row);
  }

  @OnRpc(listMacros, { scope: 'tenant' })
  async list(_request: RpcRequest<typeof listMacros>, { tenantId }: TenantCallContext) {
    return { data: (await this.macros.list(tenantId)).map(toMacro) };
  }

  @OnRpc(updateMacro, { scope: 'tenant' })
  @Transactional()
  async update({ id, expectedVersion, patch }: RpcRequest<typeof updateMacro>, { tenantId }: TenantCallContext) {
    const row = await this.macros.find(tenantId, id);
    if (!row) throw macroNotFound(id);
    checkVersion(expectedVersion, row.version, 'macro');
    const fields = { ...fieldsOf(row), ...patch };
    checkTemplate(fields.reply);
    if (patch.name && (await this.macros.nameTaken(tenantId, patch.name, id))) throw macroNameTaken(patch.name);
    const updated = await this.macros.update(tenantId, id, row.version, fields, this.clock.now());
    if (!updated) throw new DomainError('PRECONDITION_FAILED', 'The macro changed meanwhile; read it again.');
    return toMacro(updated);
  }

  @OnRpc(deleteMacro, { scope: 'tenant' })
  async delete({ id }: RpcRequest<typeof deleteMacro>, { tenantId }: TenantCallContext) {
    return { deleted: await this.macros.delete(tenantId, id) };
  }
}
