import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { assertScope } from '../../erp-auth/assert-scope';
import type { ErpClient } from '../../erp-auth/erp-client';
import { toBulkJob, WRITE_SCOPE, type BulkJob } from '../bulk-job';
import { BulkJobRepository } from '../bulk-job.repository';
import type { CreateBulkJobBody } from '../bulk-jobs.dto';

/** A new job, open for uploads; it needs the write scope of its object. */
@Injectable()
export class CreateBulkJobService {
  constructor(private readonly repository: BulkJobRepository) {}

  async create(client: ErpClient, body: CreateBulkJobBody): Promise<BulkJob> {
    assertScope(client, WRITE_SCOPE[body.object]);
    const row = await this.repository.create({
      id: randomUUID(),
      tenantId: client.tenantId,
      clientId: client.clientId,
      object: body.object,
      operation: body.operation,
      system: body.system,
      externalIdField: body.externalIdField ?? 'uid',
      columnMapping: body.columnMapping,
      contentType: body.contentType,
    });
    return toBulkJob(row);
  }
}
