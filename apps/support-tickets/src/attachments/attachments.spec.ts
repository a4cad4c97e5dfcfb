import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { Actor, defineMailbox, getTicket, getTicketAttachment, receiveEmail, TicketAttachment } from '@crm/contracts';
import { appConfigSchema } from '../app.config';
import { freshMimeFixture } from '../testing/mime-fixtures';
import { expectRemoteError, IDLE_MAIL_SENDER, SupportTicketsTestContext } from '../testing/support-tickets-test-context';

const PDF_NAME = 'contract.pdf';
const CSV_TEXT = 'month,seats\n2026-10,12\n2026-11,14';

/** An email with two attachments (attachments.eml) received into a new ticket of `actor`'s tenant. */
async function ticketWithAttachments(ctx: SupportTicketsTestContext, actor: Actor) {
  const { ticketId } = await ctx.call(receiveEmail, { raw: freshMimeFixture('attachments.eml').toString('base64') }, actor);
  const ticket = await ctx.call(getTicket, { id: ticketId as string }, actor);
  const named = (filename: string) => ticket.messages[0].attachments.find((a) => a.filename === filename);
  return { ticket, pdf: named(PDF_NAME) as TicketAttachment, csv: named('usage.csv') as TicketAttachment };
}

/** Attachments kept by the storage the config picks, and downloaded through the query: the bytes from a directory, a presigned link from S3. */
describe('attachments', () => {
  describe('in a directory (the default)', () => {
    let ctx: SupportTicketsTestContext;
    const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };

    beforeAll(async () => {
      ctx = await SupportTicketsTestContext.start(IDLE_MAIL_SENDER);
      await ctx.call(defineMailbox, { address: 'support@acme.example' }, actor);
    });
    afterAll(() => ctx?.close());

    it("returns an attachment's bytes with its name and type; another ticket's or tenant's is not found", async () => {
      const { ticket, pdf, csv } = await ticketWithAttachments(ctx, actor);
      expect([pdf?.contentType, csv?.contentType]).toEqual(['application/pdf', 'text/csv']);
      const got = await ctx.call(getTicketAttachment, { ticketId: ticket.id, id: csv.id }, actor);
      expect(got).toMatchObject({ attachment: { id: csv.id, filename: 'usage.csv', contentType: 'text/csv', size: csv.size }, url: null });
      expect(Buffer.from(got.content as string, 'base64').toString('utf8').replace(/\r\n/g, '\n').trim()).toBe(CSV_TEXT);
      const pdfBytes = Buffer.from((await ctx.call(getTicketAttachment, { ticketId: ticket.id, id: pdf.id }, actor)).content as string, 'base64');
      expect([pdfBytes.length, pdfBytes.subarray(0, 5).toString('latin1')]).toEqual([pdf.size, '%PDF-']);

      const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
      await expectRemoteError(ctx.call(getTicketAttachment, { ticketId: ticket.id, id: csv.id }, other), 'NOT_FOUND');
      await expectRemoteError(ctx.call(getTicketAttachment, { ticketId: randomUUID(), id: csv.id }, actor), 'NOT_FOUND');
    });
  });

  describe('in an S3-compatible bucket (s3rver, a real S3 API over HTTP)', () => {
    let ctx: SupportTicketsTestContext;
    let s3: S3rver;
    let directory: string;
    let endpoint: string;
    const bucket = 'crm-attachments';
    const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };

    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'crm-s3-'));
      s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
      const { port } = (await s3.run()) as { port: number };
      endpoint = `http://127.0.0.1:${port}`;
      ctx = await SupportTicketsTestContext.start({
        ...IDLE_MAIL_SENDER,
        SUPPORT_TICKETS_ATTACHMENTS_STORE: 's3',
        SUPPORT_TICKETS_S3_BUCKET: bucket,
        SUPPORT_TICKETS_S3_ENDPOINT: endpoint,
        SUPPORT_TICKETS_S3_FORCE_PATH_STYLE: 'true',
        SUPPORT_TICKETS_S3_ACCESS_KEY_ID: 'S3RVER',
        SUPPORT_TICKETS_S3_SECRET_ACCESS_KEY: 'S3RVER',
      });
      await ctx.call(defineMailbox, { address: 'support@acme.example' }, actor);
    });
    afterAll(async () => {
      await ctx?.close();
      await s3?.close();
      await rm(directory, { recursive: true, force: true });
    });

    it('stores the bytes as objects under the tenant and answers a presigned link that downloads them with their name', async () => {
      const { ticket, pdf, csv } = await ticketWithAttachments(ctx, actor);
      const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${encodeURIComponent(actor.tenantId)}/` }));
      client.destroy();
      expect(listed.Contents?.map((o) => o.Size).sort()).toEqual([pdf.size, csv.size].sort());

      const got = await ctx.call(getTicketAttachment, { ticketId: ticket.id, id: csv.id }, actor);
      expect(got).toMatchObject({ attachment: { id: csv.id }, content: null, url: expect.stringContaining(`${endpoint}/${bucket}/`) });
      const download = await fetch(got.url as string);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toBe('attachment; filename=usage.csv');
      expect((await download.text()).replace(/\r\n/g, '\n').trim()).toBe(CSV_TEXT);
      // Signed (SigV4 in the query) and short-lived: SUPPORT_TICKETS_S3_LINK_SECONDS, 300 by default.
      expect(new URL(got.url as string).searchParams.get('X-Amz-Expires')).toBe('300');
      expect(new URL(got.url as string).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('refuses an S3 store without a bucket, and one key without the other, at start-up', () => {
    const issues = (env: Record<string, string>) => {
      const parsed = appConfigSchema.safeParse({ NODE_ENV: 'test', ...env });
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
    };
    expect(issues({ SUPPORT_TICKETS_ATTACHMENTS_STORE: 's3' })).toContain('SUPPORT_TICKETS_S3_BUCKET');
    expect(issues({ SUPPORT_TICKETS_ATTACHMENTS_STORE: 's3', SUPPORT_TICKETS_S3_BUCKET: 'b-1', SUPPORT_TICKETS_S3_ACCESS_KEY_ID: 'k' })).toEqual(['SUPPORT_TICKETS_S3_SECRET_ACCESS_KEY']);
    expect(issues({ SUPPORT_TICKETS_ATTACHMENTS_STORE: 's3', SUPPORT_TICKETS_S3_BUCKET: 'b-1' })).toEqual([]);
  });
});
