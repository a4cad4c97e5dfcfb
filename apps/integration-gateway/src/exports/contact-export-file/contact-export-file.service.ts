import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import type { ErpClient } from '../../erp-auth/erp-client';
import { ContactExportRepository } from '../contact-export.repository';

const CHUNKS_PER_READ = 20;

/** A completed export's file, streamed chunk by chunk from the database (CONFLICT while it is being built). */
@Injectable()
export class ContactExportFileService {
  constructor(private readonly repository: ContactExportRepository) {}

  async file(client: ErpClient, id: string): Promise<{ contentType: string; fileName: string; stream: Readable }> {
    const row = await this.repository.find(client.tenantId, id);
    if (!row) throw new DomainError('NOT_FOUND', 'no such export (or it has expired)');
    if (row.state !== 'completed')
      throw new DomainError('CONFLICT', `the export is ${row.state}: its file is ready once it is completed`, { state: row.state });
    const csv = row.format === 'csv';
    return {
      contentType: csv ? 'text/csv; charset=utf-8' : 'text/vcard; charset=utf-8',
      fileName: `contacts-${row.id}.${csv ? 'csv' : 'vcf'}`,
      stream: Readable.from(this.read(row.id)),
    };
  }

  private async *read(exportId: string): AsyncGenerator<string> {
    let after = 0;
    for (;;) {
      const chunks = await this.repository.chunks(exportId, after, CHUNKS_PER_READ);
      for (const chunk of chunks) yield chunk.data;
      if (chunks.length < CHUNKS_PER_READ) return;
      after = chunks[chunks.length - 1].seq;
    }
  }
}
