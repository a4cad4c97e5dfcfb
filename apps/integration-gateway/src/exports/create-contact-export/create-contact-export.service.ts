import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../app.config';
import type { ErpClient } from '../../erp-auth/erp-client';
import { DEFAULT_EXPORT_COLUMNS, toContactExport, type ContactExportView } from '../contact-export';
import { ContactExportRepository } from '../contact-export.repository';
import type { CreateContactExportBody } from '../exports.dto';
import { ProcessContactExportsService } from '../process-contact-exports/process-contact-exports.service';

/** A new export of the tenant's contacts, queued; a job builds its file page by page. */
@Injectable()
export class CreateContactExportService {
  constructor(
    private readonly repository: ContactExportRepository,
    private readonly processor: ProcessContactExportsService,
    private readonly config: AppConfig,
  ) {}

  async create(client: ErpClient, body: CreateContactExportBody): Promise<ContactExportView> {
    const row = await this.repository.create({
      id: randomUUID(),
      tenantId: client.tenantId,
      clientId: client.clientId,
      format: body.format,
      columns: body.format === 'csv' ? (body.columns ?? DEFAULT_EXPORT_COLUMNS) : [],
      expiresAt: new Date(Date.now() + this.config.CONTACT_EXPORT_TTL_SECONDS * 1000),
    });
    await this.processor.wake();
    return toContactExport(row);
  }
}
