import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { bulkJobSchema } from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentClient } from '../erp-auth/current-client.decorator';
import type { ErpClient } from '../erp-auth/erp-client';
import { RequireScope } from '../erp-auth/require-scope.decorator';
import { BulkJobResultsService } from './bulk-job-results/bulk-job-results.service';
import {
  bulkJobResultsQuerySchema,
  type BulkJobResultsQuery,
  closeBulkJobBodySchema,
  type CloseBulkJobBody,
  createBulkJobBodySchema,
  type CreateBulkJobBody,
  listBulkJobsQuerySchema,
  type ListBulkJobsQuery,
} from './bulk-jobs.dto';
import { CloseBulkJobService } from './close-bulk-job/close-bulk-job.service';
import { CreateBulkJobService } from './create-bulk-job/create-bulk-job.service';
import { GetBulkJobService } from './get-bulk-job/get-bulk-job.service';
import { ListBulkJobsService } from './list-bulk-jobs/list-bulk-jobs.service';
import { UploadBulkJobDataService } from './upload-bulk-job-data/upload-bulk-job-data.service';

/**
 * Bulk jobs, after Salesforce's Bulk API 2.0: create a job, upload its rows (CSV, NDJSON or vCard,
 * streamed; several uploads append), close it, poll it, download per-row results. Every call
 * needs the write scope of the job's object (403); another tenant's job is 404.
 */
@Controller('erp/v1/jobs')
export class BulkJobsController {
  constructor(
    private readonly creating: CreateBulkJobService,
    private readonly uploading: UploadBulkJobDataService,
    private readonly closing: CloseBulkJobService,
    private readonly getting: GetBulkJobService,
    private readonly listing: ListBulkJobsService,
    private readonly results: BulkJobResultsService,
  ) {}

  @ApiOperation({ operationId: 'createBulkJob', summary: 'Create a bulk job (open for uploads)' })
  @ApiZodResponse(201, bulkJobSchema)
  @Post()
  @HttpCode(201)
  @RequireScope('by-object')
  create(@Body(new ZodValidationPipe(createBulkJobBodySchema)) body: CreateBulkJobBody, @CurrentClient() client: ErpClient) {
    return this.creating.create(client, body);
  }

  @ApiOperation({ operationId: 'uploadBulkJobData', summary: "Upload rows to an open job (streamed; the job's content type)" })
  @ApiZodResponse(200, bulkJobSchema)
  @Put(':id/data')
  @HttpCode(200)
  @RequireScope('by-object')
  upload(@Param('id', UuidParamPipe) id: string, @Req() request: FastifyRequest, @CurrentClient() client: ErpClient) {
    return this.uploading.upload(client, id, {
      contentType: request.headers['content-type'],
      contentLength: request.headers['content-length'],
      body: request.body,
    });
  }

  @ApiOperation({ operationId: 'closeBulkJob', summary: 'Close the upload (the job runs) or abort the job' })
  @ApiZodResponse(200, bulkJobSchema)
  @Patch(':id')
  @RequireScope('by-object')
  close(
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(closeBulkJobBodySchema)) body: CloseBulkJobBody,
    @CurrentClient() client: ErpClient,
  ) {
    return this.closing.close(client, id, body);
  }

  @ApiOperation({ operationId: 'getBulkJob', summary: 'A bulk job: its state and progress' })
  @ApiZodResponse(200, bulkJobSchema)
  @Get(':id')
  @RequireScope('by-object')
  get(@Param('id', UuidParamPipe) id: string, @CurrentClient() client: ErpClient) {
    return this.getting.get(client, id);
  }

  @ApiOperation({ operationId: 'listBulkJobs', summary: "The tenant's bulk jobs, newest first" })
  @Get()
  @RequireScope('by-object')
  list(@Query(new ZodValidationPipe(listBulkJobsQuerySchema)) query: ListBulkJobsQuery, @CurrentClient() client: ErpClient) {
    return this.listing.list(client, query);
  }

  @ApiOperation({ operationId: 'getBulkJobResults', summary: 'Per-row results (CSV, or NDJSON by Accept), streamed' })
  @Get(':id/results')
  @RequireScope('by-object')
  async resultsOf(
    @Param('id', UuidParamPipe) id: string,
    @Query(new ZodValidationPipe(bulkJobResultsQuerySchema)) query: BulkJobResultsQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentClient() client: ErpClient,
    @Res() reply: FastifyReply,
  ) {
    const { contentType, stream } = await this.results.download(client, id, query, accept);
    return reply.header('content-type', contentType).send(stream);
  }
}
