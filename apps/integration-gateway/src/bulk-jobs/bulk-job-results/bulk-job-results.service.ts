import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { ErpClient } from '../../erp-auth/erp-client';
import { BulkJobAccess } from '../bulk-job-access';
import { BulkJobRepository, type StoredResult } from '../bulk-job.repository';
import type { BulkJobResultsQuery } from '../bulk-jobs.dto';

const PAGE = 1_000;
export const RESULT_COLUMNS = ['line', 'externalId', 'outcome', 'id', 'errorCode', 'error', 'fields'] as const;

/** A result row as downloaded: the line of the upload, the external id, the outcome, the CRM id, why it failed. */
export interface ResultLine {
  line: number;
  externalId: string | null;
  outcome: string;
  id: string | null;
  errorCode: string | null;
  error: string | null;
  /** The invalid fields ([{ field, message }]), or { conflicts } for CRM-owned fields kept. */
  fields: unknown;
}

/**
 * A job's per-row results (so far), in line order, streamed from the database a page at a time:
 * CSV (csv-stringify; `fields` as JSON) unless NDJSON is asked for (Accept: application/x-ndjson).
 */
@Injectable()
export class BulkJobResultsService {
  constructor(
    private readonly access: BulkJobAccess,
    private readonly repository: BulkJobRepository,
  ) {}

  async download(
    client: ErpClient,
    id: string,
    { outcome }: BulkJobResultsQuery,
    accept: string | undefined,
  ): Promise<{ contentType: string; stream: Readable }> {
    const job = await this.access.load(client, id);
    const lines = Readable.from(this.pages(job.id, outcome));
    if (/application\/(x-)?ndjson/i.test(accept ?? '')) {
      const ndjson = lines.map((line: ResultLine) => `${JSON.stringify(line)}\n`);
      return { contentType: 'application/x-ndjson; charset=utf-8', stream: ndjson };
    }
    const csv = stringify({
      header: true,
      columns: [...RESULT_COLUMNS],
      cast: { object: (value) => JSON.stringify(value) },
    });
    lines.on('error', (error) => csv.destroy(error));
    return { contentType: 'text/csv; charset=utf-8', stream: lines.pipe(csv) };
  }

  private async *pages(jobId: string, outcome: string | undefined): AsyncGenerator<ResultLine> {
    let after = 0;
    for (;;) {
      const rows: StoredResult[] = await this.repository.results(jobId, after, PAGE, outcome);
      for (const row of rows) {
        yield {
          line: row.line,
          externalId: row.external_id,
          outcome: row.outcome,
          id: row.record_id,
          errorCode: row.error_code,
          error: row.error,
          fields: row.fields,
        };
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].line;
    }
  }
}
