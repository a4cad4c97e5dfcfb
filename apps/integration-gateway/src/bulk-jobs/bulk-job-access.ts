import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { assertScope } from '../erp-auth/assert-scope';
import type { ErpClient } from '../erp-auth/erp-client';
import { WRITE_SCOPE, type BulkObject } from './bulk-job';
import { BulkJobRecord, BulkJobRepository } from './bulk-job.repository';

/** A job of the client's tenant (another tenant's: 404), if the client holds its object's write scope (else 403). */
@Injectable()
export class BulkJobAccess {
  constructor(private readonly repository: BulkJobRepository) {}

  async load(client: ErpClient, id: string): Promise<BulkJobRecord> {
    const job = await this.repository.find(client.tenantId, id);
    if (!job) throw new DomainError('NOT_FOUND', 'no such bulk job');
    assertScope(client, WRITE_SCOPE[job.object as BulkObject]);
    return job;
  }
}
