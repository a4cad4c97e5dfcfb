import { Injectable } from '@nestjs/common';
import { DomainError, validationFailed } from '@crm/contracts';
import type { ErpClient } from '../../erp-auth/erp-client';
import { BULK_OBJECTS, toBulkJob, WRITE_SCOPE, type BulkJob } from '../bulk-job';
import { BulkJobRepository } from '../bulk-job.repository';
import type { ListBulkJobsQuery } from '../bulk-jobs.dto';

/** The tenant's jobs of the objects the client may write, newest first, a page at a time (`nextCursor`). */
@Injectable()
export class ListBulkJobsService {
  constructor(private readonly repository: BulkJobRepository) {}

  async list(client: ErpClient, { cursor, limit }: ListBulkJobsQuery): Promise<{ data: BulkJob[]; nextCursor: string | null }> {
    const objects = BULK_OBJECTS.filter((object) => client.scopes.includes(WRITE_SCOPE[object]));
    if (objects.length === 0)
      throw new DomainError('FORBIDDEN', 'this client holds no write scope of a bulk job object (contacts, companies, products, orders)');
    const rows = await this.repository.list(client.tenantId, objects, decodeCursor(cursor), limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString('base64url') : null;
    return { data: page.map(toBulkJob), nextCursor };
  }
}

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(date.getTime())) return { createdAt: date, id };
  } catch {
    // Falls through to the validation error.
  }
  throw validationFailed([{ path: 'cursor', message: 'not a cursor of this list' }]);
}
