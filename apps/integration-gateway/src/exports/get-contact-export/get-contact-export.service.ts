import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import type { ErpClient } from '../../erp-auth/erp-client';
import { toContactExport, type ContactExportView } from '../contact-export';
import { ContactExportRepository } from '../contact-export.repository';

/** An export's state and progress (contacts written so far). */
@Injectable()
export class GetContactExportService {
  constructor(private readonly repository: ContactExportRepository) {}

  async get(client: ErpClient, id: string): Promise<ContactExportView> {
    const row = await this.repository.find(client.tenantId, id);
    if (!row) throw new DomainError('NOT_FOUND', 'no such export (or it has expired)');
    return toContactExport(row);
  }
}
