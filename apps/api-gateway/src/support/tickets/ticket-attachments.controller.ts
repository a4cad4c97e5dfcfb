import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { Actor, getTicketAttachment } from '@crm/contracts';
import { ApiProblem, UuidParamPipe } from '@crm/service-kit';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';

/**
 * A ticket's attachment: a redirect to a short-lived link to the store (S3, which serves it with its
 * own type), or the bytes. From this origin always as an opaque download (octet-stream, attachment,
 * nosniff): a file a customer sent never renders as a page of ours (an HTML or SVG "attachment"
 * would run script with the agent's session). Its own type is in the ticket's attachment list.
 */
@Controller('api/v1/tickets/:ticketId/attachments')
export class TicketAttachmentsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'getTicketAttachment', summary: "Download a ticket's attachment (302 to a short-lived link when the store is S3, else the bytes)" })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The file, as a download.', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 302, description: 'To a short-lived link to the file in the store.' })
  @ApiProblem(404, 'No such attachment on a ticket of the tenant.')
  @Get(':id')
  @RequirePermission('tickets', 'read')
  async download(
    @Param('ticketId', new UuidParamPipe('ticketId')) ticketId: string,
    @Param('id', new UuidParamPipe()) id: string,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { attachment, url, content } = await this.bus.call(getTicketAttachment, { ticketId, id }, actor);
    void reply.header('cache-control', 'private, no-store');
    if (url) {
      await reply.status(302).header('location', url).send();
      return;
    }
    await reply
      .status(200)
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', contentDisposition(attachment.filename))
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(content ?? '', 'base64'));
  }
}
