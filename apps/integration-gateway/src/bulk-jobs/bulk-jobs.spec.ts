import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { parse } from 'csv-parse/sync';
import { DomainError, type BulkJobView, type ExternalItemResult } from '@crm/contracts';
import { startTestResponder } from '@crm/testing';
import { sql } from 'kysely';
import type { ErpClient } from '../erp-auth/erp-client';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';
import { ProcessBulkJobsService } from './process-bulk-jobs/process-bulk-jobs.service';

interface UpsertRequest {
  system: string;
  crmOwnedFields: string[];
  items: { externalId: string; line?: number; record: Record<string, unknown> }[];
}

/** Bulk jobs end to end against a stand-in of the contacts service's upsert-external / delete-external. */
describe('bulk jobs (/erp/v1/jobs)', () => {
  let ctx: IntegrationGatewayTestContext;
  let contacts: { close(): Promise<void> };
  /** The stand-in's records: tenant|system|externalId → id and the fields last written. */
  const store = new Map<string, { id: string; record: string }>();
  const calls: { tenantId: string; request: UpsertRequest }[] = [];

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
    contacts = await startTestResponder({
      service: 'contacts',
      busPrefix: (ctx.service.config as { BUS_NAME_PREFIX: string }).BUS_NAME_PREFIX,
      handlers: {
        'contacts.contact.upsert-external.v1': (payload, { actor }) => {
          const request = payload as UpsertRequest;
          calls.push({ tenantId: actor.tenantId, request });
          // A message the service's contract refuses as a whole (nothing applied).
          if (request.items.some((item) => item.externalId === 'poison')) throw new DomainError('VALIDATION_FAILED', 'the message is invalid');
          const results = request.items.map((item): ExternalItemResult => {
            if (typeof item.record['firstName'] !== 'string') {
              return {
                externalId: item.externalId,
                line: item.line,
                outcome: 'failed',
                error: { code: 'VALIDATION_FAILED', message: 'invalid', fields: [{ field: 'firstName', message: 'required' }] },
              };
            }
            const key = `${actor.tenantId}|${request.system}|${item.externalId}`;
            const known = store.get(key);
            // A CRM-owned field of a known record is kept, and reported as a conflict.
            const conflicts = known
              ? request.crmOwnedFields.filter((field) => field in item.record).map((field) => ({ field, incoming: item.record[field] }))
              : [];
            if (conflicts.length > 0) return { externalId: item.externalId, line: item.line, outcome: 'updated', id: known?.id, conflicts };
            const record = JSON.stringify(item.record);
            if (known?.record === record) return { externalId: item.externalId, line: item.line, outcome: 'unchanged', id: known.id };
            const id = known?.id ?? randomUUID();
            store.set(key, { id, record });
            return { externalId: item.externalId, line: item.line, outcome: known ? 'updated' : 'created', id };
          });
          return { results };
        },
        'contacts.contact.delete-external.v1': (payload, { actor }) => {
          const request = payload as { system: string; items: { externalId: string; line?: number }[] };
          return {
            results: request.items.map((item) => {
              const key = `${actor.tenantId}|${request.system}|${item.externalId}`;
              const known = store.get(key);
              if (!known) return { externalId: item.externalId, line: item.line, outcome: 'failed', error: { code: 'NOT_FOUND', message: 'no such contact' } };
              store.delete(key);
              return { externalId: item.externalId, line: item.line, outcome: 'deleted', id: known.id };
            }),
          };
        },
      },
    });
  });
  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
  });

  const createJob = async (client: ErpClient, body: Record<string, unknown>): Promise<BulkJobView> => {
    const response = await ctx.request(client, 'POST', '/erp/v1/jobs', { object: 'contacts', system: 'sap', externalIdField: 'id', ...body });
    expect(response.status).toBe(201);
    return (await response.json()) as BulkJobView;
  };
  const upload = async (client: ErpClient, id: string, content: string, contentType = 'text/csv'): Promise<Response> =>
    fetch(`${ctx.url}/erp/v1/jobs/${id}/data`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await ctx.accessToken(client)}`, 'content-type': contentType },
      body: content,
    });
  const close = (client: ErpClient, id: string, state = 'upload_complete') => ctx.request(client, 'PATCH', `/erp/v1/jobs/${id}`, { state });
  /** Polls the job until it reaches `state` (the worker runs in the background). */
  const until = async (client: ErpClient, id: string, state: string): Promise<BulkJobView> => {
    for (let i = 0; i < 600; i++) {
      const job = (await (await ctx.request(client, 'GET', `/erp/v1/jobs/${id}`)).json()) as BulkJobView;
      if (job.state === state) return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`job ${id} never reached ${state}`);
  };
  const results = async (client: ErpClient, id: string, query = '', accept = 'text/csv') => {
    const response = await ctx.request(client, 'GET', `/erp/v1/jobs/${id}/results${query}`, undefined, { accept });
    expect(response.status).toBe(200);
    return { contentType: response.headers.get('content-type'), text: await response.text() };
  };

  it('creates, uploads (appending), closes and runs a CSV job: per-row results with line numbers, CRM-owned fields passed, sync log and finished event', async () => {
    const client = ctx.newClient();
    await ctx.database.insertInto('field_ownership').values({ tenant_id: client.tenantId, object: 'contacts', field: 'phones', owner: 'crm' }).execute();
    const job = await createJob(client, { columnMapping: { first: 'firstName', mail: 'emails.0.address' } });
    expect(job).toMatchObject({ state: 'open', object: 'contacts', operation: 'upsert', contentType: 'text/csv', rowsTotal: 0 });

    const first = await upload(client, job.id, 'id,first,mail\nE1,Ada,ada@example.com\nE2,Bob\nE3,,cy@example.com\nE4,"Dee\n');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ state: 'open', rowsTotal: 4 });
    // A second upload appends: its lines continue after the first's.
    expect((await upload(client, job.id, 'id,first,mail\nE5,Eve,eve@example.com\n')).status).toBe(200);
    const closed = await close(client, job.id);
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ state: 'upload_complete', rowsTotal: 5 });

    const done = await until(client, job.id, 'job_complete');
    expect(done).toMatchObject({
      rowsTotal: 5,
      rowsProcessed: 5,
      rowsCreated: 2,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      rowsFailed: 3,
      completedAt: expect.any(String),
    });
    const mine = calls.filter((call) => call.tenantId === client.tenantId);
    expect(mine.map((call) => call.request.crmOwnedFields)).toEqual([['phones']]);
    expect(mine[0].request.items).toEqual([
      { externalId: 'E1', line: 2, record: { firstName: 'Ada', emails: [{ address: 'ada@example.com' }] } },
      { externalId: 'E3', line: 4, record: { emails: [{ address: 'cy@example.com' }] } },
      { externalId: 'E5', line: 7, record: { firstName: 'Eve', emails: [{ address: 'eve@example.com' }] } },
    ]);

    const csv = await results(client, job.id);
    expect(csv.contentType).toMatch(/^text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row['line'], row['externalId'], row['outcome'], row['errorCode']])).toEqual([
      ['2', 'E1', 'created', ''],
      ['3', '', 'failed', 'VALIDATION_FAILED'],
      ['4', 'E3', 'failed', 'VALIDATION_FAILED'],
      ['5', '', 'failed', 'VALIDATION_FAILED'],
      ['7', 'E5', 'created', ''],
    ]);
    expect(rows[1]['error']).toContain('wrong number of fields');
    expect(rows[3]['error']).toContain('never closed');
    expect(JSON.parse(rows[2]['fields'])).toEqual([{ field: 'firstName', message: 'required' }]);

    const failed = await results(client, job.id, '?outcome=failed', 'application/x-ndjson');
    expect(failed.contentType).toMatch(/^application\/x-ndjson/);
    expect(
      failed.text
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { line: number }).line),
    ).toEqual([3, 4, 5]);

    const log = await ctx.database
      .selectFrom('sync_log')
      .select(['operation', 'status', 'external_id'])
      .where('tenant_id', '=', client.tenantId)
      .orderBy('id')
      .execute();
    expect(log).toEqual(
      expect.arrayContaining([
        { operation: 'bulk-upsert', status: 'applied', external_id: null },
        { operation: 'upsert', status: 'created', external_id: 'E1' },
      ]),
    );
    const events = await ctx.database.selectFrom('outbox_message').select(['routing_key', 'subject']).where('tenant_id', '=', client.tenantId).execute();
    expect(events).toEqual([{ routing_key: 'integration-gateway.bulk-job.finished.v1', subject: job.id }]);
  });

  it('changes nothing when the same file is loaded again (all unchanged), over several batches of 1,000', async () => {
    const client = ctx.newClient();
    const file = `id,firstName\n${Array.from({ length: 2_500 }, (_, i) => `X${i},Name ${i}`).join('\n')}\n`;
    const load = async () => {
      const job = await createJob(client, {});
      expect((await upload(client, job.id, file)).status).toBe(200);
      expect((await close(client, job.id)).status).toBe(200);
      return until(client, job.id, 'job_complete');
    };
    expect(await load()).toMatchObject({ rowsTotal: 2_500, rowsCreated: 2_500, rowsFailed: 0 });
    expect(calls.filter((call) => call.tenantId === client.tenantId).map((call) => call.request.items.length)).toEqual([1_000, 1_000, 500]);
    expect(await load()).toMatchObject({ rowsTotal: 2_500, rowsCreated: 0, rowsUpdated: 0, rowsUnchanged: 2_500, rowsFailed: 0 });
  });

  it('stores cells as they were sent (quotes, commas, line breaks, backslashes, tabs), and fails a row holding U+0000 or an unpaired surrogate alone', async () => {
    const client = ctx.newClient();
    const csvJob = await createJob(client, {});
    const csv = 'id,firstName,title\nQ1,"Ann ""the"" Bee","a,b\nc\\\\N\td"\nQ2,Nul\0Name,x\n"Q3\\N",Cy,\n';
    expect((await upload(client, csvJob.id, csv)).status).toBe(200);
    const ndjsonJob = await createJob(client, { contentType: 'application/x-ndjson' });
    const ndjson = ['{"id":"N1","firstName":"Di","tags":["\\\\u0000 is text here"]}', '{"id":"N2","firstName":"Ed","nested":{"k":"a\\u0000b"}}', '{"id":"N3","lastName":"\\ud800"}', '{"id":"N4\\u0000","firstName":"Fay"}'].join('\n');
    expect((await upload(client, ndjsonJob.id, ndjson, 'application/x-ndjson')).status).toBe(200);

    const stored = await ctx.database
      .selectFrom('bulk_job_row')
      .select(['job_id', 'line', 'external_id', 'record', 'parse_error'])
      .where('job_id', 'in', [csvJob.id, ndjsonJob.id])
      .orderBy('job_id')
      .orderBy('line')
      .execute();
    const of = (jobId: string) => stored.filter((row) => row.job_id === jobId).map(({ job_id: _, ...row }) => row);
    expect(of(csvJob.id)).toEqual([
      { line: 3, external_id: 'Q1', record: { firstName: 'Ann "the" Bee', title: 'a,b\nc\\\\N\td' }, parse_error: null },
      { line: 4, external_id: 'Q2', record: null, parse_error: 'column firstName: must not contain NUL characters (U+0000)' },
      { line: 5, external_id: 'Q3\\N', record: { firstName: 'Cy' }, parse_error: null },
    ]);
    expect(of(ndjsonJob.id)).toEqual([
      { line: 1, external_id: 'N1', record: { firstName: 'Di', tags: ['\\u0000 is text here'] }, parse_error: null },
      { line: 2, external_id: 'N2', record: null, parse_error: 'column nested.k: must not contain NUL characters (U+0000)' },
      { line: 3, external_id: 'N3', record: null, parse_error: expect.stringMatching(/^column lastName: must not contain an unpaired UTF-16 surrogate/) },
      { line: 4, external_id: null, record: null, parse_error: 'column id: must not contain NUL characters (U+0000)' },
    ]);
  });

  it('fails a row the owning service refuses as a message alone (the batch is split until it is found)', async () => {
    const client = ctx.newClient();
    const job = await createJob(client, { contentType: 'application/x-ndjson' });
    const lines = ['{"id":"A","firstName":"Ann"}', '{"id":"poison","firstName":"P"}', '{"id":"B","firstName":"Ben"}'].join('\n');
    expect((await upload(client, job.id, lines, 'application/x-ndjson')).status).toBe(200);
    await close(client, job.id);
    expect(await until(client, job.id, 'job_complete')).toMatchObject({ rowsCreated: 2, rowsFailed: 1 });
    const failed = (await results(client, job.id, '?outcome=failed', 'application/x-ndjson')).text.trim();
    expect(JSON.parse(failed)).toMatchObject({ line: 2, externalId: 'poison', outcome: 'failed', errorCode: 'VALIDATION_FAILED' });
  });

  it('reports CRM-owned fields an update tried to change as conflicts, in its results and the sync log', async () => {
    const client = ctx.newClient();
    await ctx.database.insertInto('field_ownership').values({ tenant_id: client.tenantId, object: 'contacts', field: 'title', owner: 'crm' }).execute();
    const load = async (line: string) => {
      const job = await createJob(client, { contentType: 'application/x-ndjson' });
      expect((await upload(client, job.id, line, 'application/x-ndjson')).status).toBe(200);
      await close(client, job.id);
      return until(client, job.id, 'job_complete');
    };
    await load('{"id":"K1","firstName":"Kim","title":"Buyer"}');
    const second = await load('{"id":"K1","firstName":"Kim","title":"Chief"}');
    expect(second).toMatchObject({ rowsUpdated: 1 });
    const [result] = (await results(client, second.id, '', 'application/x-ndjson')).text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(result).toMatchObject({ line: 1, externalId: 'K1', outcome: 'updated', fields: { conflicts: [{ field: 'title', incoming: 'Chief' }] } });
    const log = await ctx.database
      .selectFrom('sync_log')
      .select(['status', 'detail'])
      .where('tenant_id', '=', client.tenantId)
      .where('status', '=', 'conflict')
      .execute();
    expect(log).toEqual([{ status: 'conflict', detail: { bulkJobId: second.id, line: 1, conflicts: [{ field: 'title', incoming: 'Chief' }] } }]);
  });

  it('loads vCards and deletes by external id', async () => {
    const client = ctx.newClient();
    const job = await createJob(client, { contentType: 'text/vcard', externalIdField: undefined });
    const cards = 'BEGIN:VCARD\nVERSION:4.0\nFN:Jane Roe\nN:Roe;Jane;;;\nUID:v-1\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN\nEND:VCARD\n';
    expect((await upload(client, job.id, cards, 'text/vcard')).status).toBe(200);
    await close(client, job.id);
    expect(await until(client, job.id, 'job_complete')).toMatchObject({ rowsCreated: 1, rowsFailed: 1 });

    const deletion = await createJob(client, { operation: 'delete', contentType: 'application/x-ndjson' });
    expect((await upload(client, deletion.id, '{"id":"v-1"}\n{"id":"unknown"}\n', 'application/x-ndjson')).status).toBe(200);
    await close(client, deletion.id);
    expect(await until(client, deletion.id, 'job_complete')).toMatchObject({ rowsUpdated: 1, rowsFailed: 1 });
  });

  it('resumes a job whose worker stopped: only rows without a result are sent', async () => {
    const client = ctx.newClient();
    const job = await createJob(client, {});
    expect((await upload(client, job.id, 'id,firstName\nR1,One\nR2,Two\nR3,Three\n')).status).toBe(200);
    // As a replica that died after the first batch leaves it: in progress, silent for long, line 2 done.
    await ctx.database
      .insertInto('bulk_job_result')
      .values({ job_id: job.id, line: 2, external_id: 'R1', outcome: 'created', record_id: randomUUID() })
      .execute();
    await sql`UPDATE bulk_job SET state = 'in_progress', closed_at = now(), rows_processed = 1, rows_created = 1, updated_at = now() - interval '1 hour' WHERE id = ${job.id}`.execute(
      ctx.database,
    );
    await ctx.service.app.get(ProcessBulkJobsService).drain();
    expect(await until(client, job.id, 'job_complete')).toMatchObject({ rowsProcessed: 3, rowsCreated: 3 });
    const sent = calls.filter((call) => call.tenantId === client.tenantId).flatMap((call) => call.request.items.map((item) => item.externalId));
    expect(sent).toEqual(['R2', 'R3']);
  });

  it('aborts an open job; a closed or aborted job takes no more uploads or closing (409)', async () => {
    const client = ctx.newClient();
    const job = await createJob(client, {});
    const aborted = await close(client, job.id, 'aborted');
    expect(aborted.status).toBe(200);
    expect(await aborted.json()).toMatchObject({ state: 'aborted' });
    expect((await close(client, job.id)).status).toBe(409);
    expect((await upload(client, job.id, 'id,firstName\nZ,Zed\n')).status).toBe(409);
  });

  it('refuses an upload of another media type (415), a CSV without the external id column (400) and an invalid job (400)', async () => {
    const client = ctx.newClient();
    const job = await createJob(client, {});
    expect((await upload(client, job.id, '{"id":"1"}', 'application/x-ndjson')).status).toBe(415);
    const noId = await upload(client, job.id, 'sku,firstName\n1,A\n');
    expect(noId.status).toBe(400);
    expect(noId.headers.get('content-type')).toMatch(/problem\+json/);
    expect(
      (await ctx.request(client, 'POST', '/erp/v1/jobs', { object: 'products', system: 'sap', externalIdField: 'id', contentType: 'text/vcard' })).status,
    ).toBe(400);
    expect((await ctx.request(client, 'POST', '/erp/v1/jobs', { object: 'orders', system: 'sap', externalIdField: 'id', operation: 'delete' })).status).toBe(
      400,
    );
  });

  it('answers 413 to an upload declaring more than the limit, before reading it', async () => {
    const client = ctx.newClient();
    const job = await createJob(client, {});
    const token = await ctx.accessToken(client);
    const { status, contentType } = await new Promise<{ status: number; contentType: string | undefined }>((resolve, reject) => {
      const request = httpRequest(`${ctx.url}/erp/v1/jobs/${job.id}/data`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(1024 ** 3 + 1) },
      });
      request.on('response', (response) => {
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] });
        response.resume();
        request.destroy();
      });
      request.on('error', reject);
      request.write('id,firstName\n');
    });
    expect({ status, contentType }).toEqual({ status: 413, contentType: expect.stringMatching(/problem\+json/) });
    expect(await (await ctx.request(client, 'GET', `/erp/v1/jobs/${job.id}`)).json()).toMatchObject({ rowsTotal: 0, bytesUploaded: 0 });
  });

  it("answers 404 for another tenant's job, 403 without the object's write scope, 401 without a token", async () => {
    const owner = ctx.newClient();
    const job = await createJob(owner, {});
    const stranger = ctx.newClient();
    for (const [method, path, body] of [
      ['GET', `/erp/v1/jobs/${job.id}`, undefined],
      ['PATCH', `/erp/v1/jobs/${job.id}`, { state: 'aborted' }],
      ['GET', `/erp/v1/jobs/${job.id}/results`, undefined],
    ] as const) {
      expect((await ctx.request(stranger, method, path, body)).status).toBe(404);
    }
    expect((await upload(stranger, job.id, 'id,firstName\nS,Sam\n')).status).toBe(404);
    const strangerList = (await (await ctx.request(stranger, 'GET', '/erp/v1/jobs')).json()) as { data: BulkJobView[] };
    expect(strangerList.data).toEqual([]);

    const productsOnly = ctx.newClient({ tenantId: owner.tenantId, scopes: ['products:write'] });
    expect((await ctx.request(productsOnly, 'GET', `/erp/v1/jobs/${job.id}`)).status).toBe(403);
    expect((await ctx.request(productsOnly, 'POST', '/erp/v1/jobs', { object: 'contacts', system: 'sap', externalIdField: 'id' })).status).toBe(403);
    expect((await (await ctx.request(productsOnly, 'GET', '/erp/v1/jobs')).json()) as { data: unknown[] }).toEqual({ data: [], nextCursor: null });
    expect((await ctx.request(ctx.newClient({ tenantId: owner.tenantId, scopes: ['changes:read'] }), 'GET', '/erp/v1/jobs')).status).toBe(403);
    expect((await ctx.request(null, 'GET', `/erp/v1/jobs/${job.id}`)).status).toBe(401);
  });

  it("lists the tenant's jobs newest first, a page at a time", async () => {
    const client = ctx.newClient();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createJob(client, {})).id);
    const first = (await (await ctx.request(client, 'GET', '/erp/v1/jobs?limit=2')).json()) as { data: BulkJobView[]; nextCursor: string };
    const second = (await (await ctx.request(client, 'GET', `/erp/v1/jobs?limit=2&cursor=${first.nextCursor}`)).json()) as {
      data: BulkJobView[];
      nextCursor: null;
    };
    expect([...first.data, ...second.data].map((job) => job.id).sort()).toEqual([...ids].sort());
    expect(first.data.length).toBe(2);
    expect(second.nextCursor).toBeNull();
    expect((await ctx.request(client, 'GET', '/erp/v1/jobs?cursor=nonsense')).status).toBe(400);
  });
});

describe('bulk job uploads without a declared size', () => {
  let ctx: IntegrationGatewayTestContext;
  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start({ BULK_UPLOAD_MAX_BYTES: '2048' });
  });
  afterAll(() => ctx?.close());

  it('reads a chunked upload as it streams, and refuses one that grows past the limit whole (413), keeping the earlier uploads', async () => {
    const client = ctx.newClient();
    const job = (await (await ctx.request(client, 'POST', '/erp/v1/jobs', { object: 'contacts', system: 'sap', externalIdField: 'id' })).json()) as BulkJobView;
    const chunked = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 100) controller.enqueue(bytes.subarray(i, i + 100));
          controller.close();
        },
      });
    };
    const put = async (text: string) =>
      fetch(`${ctx.url}/erp/v1/jobs/${job.id}/data`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${await ctx.accessToken(client)}`, 'content-type': 'text/csv' },
        body: chunked(text),
        duplex: 'half',
      } as RequestInit);
    const small = await put('id,firstName\nC1,One\nC2,Two\n');
    expect(small.status).toBe(200);
    expect(await small.json()).toMatchObject({ rowsTotal: 2, bytesUploaded: 27 });

    const big = await put(`id,firstName\n${Array.from({ length: 300 }, (_, i) => `B${i},Name ${i}`).join('\n')}\n`);
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toMatch(/problem\+json/);
    const after = (await (await ctx.request(client, 'GET', `/erp/v1/jobs/${job.id}`)).json()) as BulkJobView;
    expect(after).toMatchObject({ state: 'open', rowsTotal: 2, bytesUploaded: 27 });
    expect((await ctx.database.selectFrom('bulk_job_row').select('line').where('job_id', '=', job.id).execute()).map((row) => row.line)).toEqual([2, 3]);
  });
});
