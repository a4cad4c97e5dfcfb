import { Injectable } from '@nestjs/common';
import type { ErpClient } from '../../erp-auth/erp-client';
import { toBulkJob, type BulkJob } from '../bulk-job';
import { BulkJobAccess } from '../bulk-job-access';

/** A job's state and progress counters. */
@Injectable()
export class GetBulkJobService {
  constructor(private readonly access: BulkJobAccess) {}

  async get(client: ErpClient, id: string): Promise<BulkJob> {
    return toBulkJob(await this.access.load(client, id));
  }
}
