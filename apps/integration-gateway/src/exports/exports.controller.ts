import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiZodResponse, UuidParamPipe, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { CurrentClient } from '../erp-auth/current-client.decorator';
import type { ErpClient } from '../erp-auth/erp-client';
import { RequireScope } from '../erp-auth/require-scope.decorator';
import { ContactExportFileService } from './contact-export-file/contact-export-file.service';
import { contactExportSchema } from './contact-export';
import { CreateContactExportService } from './create-contact-export/create-contact-export.service';
import { createContactExportBodySchema, type CreateContactExportBody } from './exports.dto';
import { GetContactExportService } from './get-contact-export/get-contact-export.service';

/** Contacts exports (CSV or vCard 4.0) as jobs: ask for one, poll its progress, download its file. */
@Controller('erp/v1/exports')
export class ExportsController {
  constructor(
    private readonly creating: CreateContactExportService,
    private readonly getting: GetContactExportService,
    private readonly files: ContactExportFileService,
  ) {}

  @ApiOperation({ operationId: 'createContactExport', summary: "Export the tenant's contacts (CSV or vCard 4.0)" })
  @ApiZodResponse(202, contactExportSchema)
  @Post()
  @HttpCode(202)
  @RequireScope('contacts:read')
  create(@Body(new ZodValidationPipe(createContactExportBodySchema)) body: CreateContactExportBody, @CurrentClient() client: ErpClient) {
    return this.creating.create(client, body);
  }

  @ApiOperation({ operationId: 'getContactExport', summary: "An export's state and progress" })
  @ApiZodResponse(200, contactExportSchema)
  @Get(':id')
  @RequireScope('contacts:read')
  get(@Param('id', UuidParamPipe) id: string, @CurrentClient() client: ErpClient) {
    return this.getting.get(client, id);
  }

  @ApiOperation({ operationId: 'getContactExportFile', summary: "A completed export's file (streamed)" })
  @Get(':id/file')
  @RequireScope('contacts:read')
  async file(@Param('id', UuidParamPipe) id: string, @CurrentClient() client: ErpClient, @Res() reply: FastifyReply) {
    const { contentType, fileName, stream } = await this.files.file(client, id);
    return reply.header('content-type', contentType).header('content-disposition', `attachment; filename="${fileName}"`).send(stream);
  }
}
