import { Injectable } from '@nestjs/common';
import { DomainError, getTicketAttachment, RpcRequest, RpcResponse } from '@crm/contracts';
import { toTicketAttachment } from '../../tickets/ticket.mapper';
import { TicketRepository } from '../../tickets/ticket.repository';
import { AttachmentStorage } from '../attachment-storage';

/** An attachment of one of the tenant's tickets: a link to the store, or its bytes. */
@Injectable()
export class GetAttachmentService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly storage: AttachmentStorage,
  ) {}

  async get(tenantId: string, { ticketId, id }: RpcRequest<typeof getTicketAttachment>): Promise<RpcResponse<typeof getTicketAttachment>> {
    const row = await this.tickets.attachment(tenantId, ticketId, id);
    if (!row) throw new DomainError('NOT_FOUND', `attachment ${id} of ticket ${ticketId} not found.`);
    const attachment = toTicketAttachment(row);
    const url = await this.storage.linkFor(row.storage_key, { filename: row.filename, contentType: row.content_type });
    if (url) return { attachment, url, content: null };
    return { attachment, url: null, content: (await this.storage.get(row.storage_key)).toString('base64') };
  }
}
