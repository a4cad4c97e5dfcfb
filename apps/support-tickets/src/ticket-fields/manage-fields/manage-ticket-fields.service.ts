import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, defineTicketField, deleteTicketField, RpcRequest, TicketField, updateTicketField } from '@crm/contracts';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion, validationFailed } from '../../tickets/ticket-errors';
import { TicketFieldRepository } from '../ticket-field.repository';
import { ticketFieldNotFound, toTicketField } from '../ticket-field.mapper';

/** The tenant's ticket fields: a key once, its type for good, options no ticket still holds may go. */
@Injectable()
export class ManageTicketFieldsService {
  constructor(
    private readonly fields: TicketFieldRepository,
    private readonly clock: Clock,
  ) {}

  async define(tenantId: string, { field }: RpcRequest<typeof defineTicketField>): Promise<TicketField> {
    const row = await this.fields.insert(tenantId, { id: randomUUID(), ...field, options: field.type === 'select' ? [...new Set(field.options)] : [] }, this.clock.now());
    if (!row) throw new DomainError('CONFLICT', `A ticket field with the key ${field.key} exists.`);
    return toTicketField(row);
  }

  async list(tenantId: string): Promise<{ data: TicketField[] }> {
    return { data: (await this.fields.list(tenantId)).map(toTicketField) };
  }

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateTicketField>): Promise<TicketField> {
    const row = await this.fields.lock(tenantId, id);
    if (!row) throw ticketFieldNotFound(id);
    checkVersion(expectedVersion, row.version, 'ticket field');
    const options = patch.options && row.type === 'select' ? [...new Set(patch.options)] : undefined;
    if (patch.options && row.type !== 'select') throw validationFailed([{ path: 'patch.options', message: 'only a select field has options' }]);
    if (options) {
      if (!options.length) throw validationFailed([{ path: 'patch.options', message: 'a select field needs options' }]);
      const held = await this.fields.valuesHeld(tenantId, row.key, row.options.filter((o) => !options.includes(o)));
      if (held.length) throw new DomainError('CONFLICT', `Tickets still hold ${held.join(', ')}: change them before removing the option.`, { held });
    }
    const updated = await this.fields.update(tenantId, id, row.version, { ...patch, options }, this.clock.now());
    return toTicketField(updated ?? row);
  }

  @Transactional()
  async delete(tenantId: string, { id }: RpcRequest<typeof deleteTicketField>): Promise<{ deleted: boolean }> {
    const row = await this.fields.lock(tenantId, id);
    if (!row) throw ticketFieldNotFound(id);
    await this.fields.delete(tenantId, row);
    return { deleted: true };
  }
}
