import { Readable, Transform, type TransformCallback } from 'node:stream';
import { Injectable, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { AppConfig } from '../../app.config';
import type { ErpClient } from '../../erp-auth/erp-client';
import { PARSERS, toBulkJob, type BulkContentType, type BulkJob } from '../bulk-job';
import { BulkJobAccess } from '../bulk-job-access';
import { BulkJobRepository } from '../bulk-job.repository';
import { UploadRowBatch } from '../upload-row-batch';

/** Rows stored per statement, or fewer when they have read this many bytes of the upload. */
const BATCH_ROWS = 1_000;
const BATCH_BYTES = 8 * 1024 * 1024;

/** The media types an upload may declare (aliases of a job's content type). */
export const UPLOAD_MEDIA_TYPES: Record<string, BulkContentType> = {
  'text/csv': 'text/csv',
  'application/csv': 'text/csv',
  'application/x-ndjson': 'application/x-ndjson',
  'application/ndjson': 'application/x-ndjson',
  'application/jsonl': 'application/x-ndjson',
  'text/vcard': 'text/vcard',
  'text/x-vcard': 'text/vcard',
  'text/directory': 'text/vcard',
};

export interface UploadRequest {
  contentType: string | undefined;
  contentLength: string | undefined;
  /** The request body as it arrives (the raw stream the content-type parser passes through). */
  body: unknown;
}

/**
 * An upload to an open job, read as it arrives and never held whole: parsed row by row, stored
 * 1,000 rows per statement with their line numbers (or why they could not be read). A further
 * upload appends: its lines continue after the last one stored. A declared size over
 * BULK_UPLOAD_MAX_BYTES is 413 before a byte is read; a body that grows past it without
 * declaring its size is cut off with 413 and refused whole (the rows it had stored are removed).
 */
@Injectable()
export class UploadBulkJobDataService {
  constructor(
    private readonly access: BulkJobAccess,
    private readonly repository: BulkJobRepository,
    private readonly config: AppConfig,
  ) {}

  async upload(client: ErpClient, id: string, request: UploadRequest): Promise<BulkJob> {
    const max = this.config.BULK_UPLOAD_MAX_BYTES;
    if (request.contentLength !== undefined && Number(request.contentLength) > max) {
      throw new PayloadTooLargeException(`an upload may have at most ${max} bytes (split the file over several uploads to the same job)`);
    }
    const job = await this.access.load(client, id);
    const mediaType = request.contentType?.split(';')[0].trim().toLowerCase() ?? '';
    if (UPLOAD_MEDIA_TYPES[mediaType] !== job.content_type || !(request.body instanceof Readable)) {
      throw new UnsupportedMediaTypeException(`this job takes ${job.content_type}`);
    }
    if (job.state !== 'open') throw new DomainError('CONFLICT', `the job is ${job.state}: uploads go to an open job`, { state: job.state });

    const parse = PARSERS[job.content_type as BulkContentType];
    const offset = await this.repository.lastLine(job.id);
    // Piped only now, with nothing awaited before the parser listens: the counter's error is never unheard.
    const counter = new ByteCounter(max);
    counter.on('error', () => undefined); // reaches the parser through its own listener; this one only keeps it from being "unhandled"
    const input = request.body.pipe(counter);
    request.body.on('error', (error) => counter.destroy(error));
    const options = { externalIdField: job.external_id_field, columnMapping: job.column_mapping as Record<string, string> };
    const batch = new UploadRowBatch();
    let stored = 0;
    const flush = async () => {
      const bytes = counter.bytes - stored;
      stored = counter.bytes;
      const open = await this.repository.appendRows(job.id, batch, bytes);
      batch.clear();
      if (!open) throw new DomainError('CONFLICT', 'the job was closed or aborted during the upload');
    };
    try {
      for await (const row of parse(input, options)) {
        row.line += offset;
        batch.add(row);
        if (batch.rows >= BATCH_ROWS || counter.bytes - stored >= BATCH_BYTES) await flush();
      }
    } catch (error) {
      if (counter.tooLarge) {
        await this.repository.dropUpload(job.id, offset, stored);
        throw new PayloadTooLargeException(`an upload may have at most ${max} bytes: this one was refused whole (the job's earlier uploads stay)`);
      }
      throw error;
    } finally {
      request.body.resume();
    }
    await flush();
    return toBulkJob((await this.repository.find(client.tenantId, id)) ?? job);
  }
}

/** Counts the bytes passing through and fails the stream past `max`. */
class ByteCounter extends Transform {
  bytes = 0;
  tooLarge = false;

  constructor(private readonly max: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) {
      this.tooLarge = true;
      callback(new Error('upload too large'));
      return;
    }
    callback(null, chunk);
  }
}
