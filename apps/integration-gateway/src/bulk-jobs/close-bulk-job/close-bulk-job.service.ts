import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import type { ErpClient } from '../../erp-auth/erp-client';
import { toBulkJob, type BulkJob, type BulkJobState } from '../bulk-job';
import { BulkJobAccess } from '../bulk-job-access';
import { BulkJobRepository } from '../bulk-job.repository';
import type { CloseBulkJobBody } from '../bulk-jobs.dto';
import { ProcessBulkJobsService } from '../process-bulk-jobs/process-bulk-jobs.service';

const FROM: Record<CloseBulkJobBody['state'], BulkJobState[]> = {
  upload_complete: ['open'],
  aborted: ['open', 'upload_complete', 'in_progress'],
};

/**
 * Closes an open job's upload (upload_complete: a worker then applies its rows) or aborts it (rows
 * not yet applied never are; those applied stay). CONFLICT from any other state.
 */
@Injectable()
export class CloseBulkJobService {
  constructor(
    private readonly access: BulkJobAccess,
    private readonly repository: BulkJobRepository,
    private readonly processor: ProcessBulkJobsService,
  ) {}

  async close(client: ErpClient, id: string, { state }: CloseBulkJobBody): Promise<BulkJob> {
    const job = await this.access.load(client, id);
    const moved = await this.repository.transition(client.tenantId, id, FROM[state], state);
    if (!moved) {
      const now = (await this.repository.find(client.tenantId, id)) ?? job;
      throw new DomainError('CONFLICT', `the job is ${now.state}: it can no longer become ${state}`, { state: now.state });
    }
    if (state === 'upload_complete') await this.processor.wake();
    return toBulkJob(moved);
  }
}
