import { randomUUID } from 'node:crypto';
import {
  Actor,
  createKbArticle,
  createKbCategory,
  deleteKbArticle,
  getKbArticle,
  kbArticleChanged,
  kbArticlePublished,
  listKbCategories,
  searchKbArticles,
  updateKbArticle,
} from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';


/** The knowledge base over the bus against a real database: categories, drafts and published, Postgres full-text search, suggestions. */
describe('knowledge base', () => {
  let ctx: SupportTicketsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };
  });

  const article = (title: string, body: string, extra: Record<string, unknown> = {}) =>
    ctx.call(createKbArticle, { article: { title, body, status: 'published', ...extra } }, actor);
  const titles = (hits: { data: { title: string }[] }) => hits.data.map((h) => h.title);

  it('finds by stemmed words, ranks a title match first, marks the snippet, and honours phrases and -not', async () => {
    await article('Reset your password', 'Open settings, choose security and follow the steps to reset it.');
    await article('Billing cycles', 'Invoices are sent monthly. Forgot your password? See the password article.');
    await article('Shipping times', 'Parcels arrive within three working days.');

    const hits = await ctx.call(searchKbArticles, { q: 'passwords' }, actor);
    expect(titles(hits)).toEqual(['Reset your password', 'Billing cycles']);
    expect(hits.data[0].rank).toBeGreaterThan(hits.data[1].rank);
    expect(hits.data[1].snippet).toContain('«password»');
    expect(hits.data[0]).not.toHaveProperty('body');

    expect(titles(await ctx.call(searchKbArticles, { q: '"working days"' }, actor))).toEqual(['Shipping times']);
    expect(titles(await ctx.call(searchKbArticles, { q: 'password -invoices' }, actor))).toEqual(['Reset your password']);
    expect(titles(await ctx.call(searchKbArticles, { q: 'nothing-like-this' }, actor))).toEqual([]);
    await article('Password policy draft', 'A password must be long.', { status: 'draft' });
    expect(titles(await ctx.call(searchKbArticles, { q: 'password', publishedOnly: true }, actor))).toEqual(['Reset your password', 'Billing cycles']);
    // Another tenant's base is not searched.
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    expect(titles(await ctx.call(searchKbArticles, { q: 'password' }, other))).toEqual([]);
  });

  it('suggests articles for a ticket being written, on any of its words, published only when asked', async () => {
    await article('Track a parcel', 'Use the tracking number from your shipping email.');
    await article('Change delivery address', 'Before the parcel ships, edit the address in your account.', { status: 'draft' });
    await article('Cancel a subscription', 'Subscriptions end at the close of the billing period.');

    const suggested = await ctx.call(searchKbArticles, { suggestFor: 'My parcel has not arrived and the tracking says nothing', publishedOnly: true }, actor);
    expect(titles(suggested)).toEqual(['Track a parcel']);
    const withDrafts = await ctx.call(searchKbArticles, { suggestFor: 'parcel' }, actor);
    expect(titles(withDrafts).sort()).toEqual(['Change delivery address', 'Track a parcel']);
    expect(titles(await ctx.call(searchKbArticles, { suggestFor: 'the and of' }, actor))).toEqual([]);
  });

  it('publishes a draft (stamped, announced), keeps the vector current on edits, If-Match, and hides drafts from the portal', async () => {
    const draft = await article('Export your data', 'Download a CSV from reports.', { status: 'draft' });
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null, version: 1 });
    await expectRemoteError(ctx.call(getKbArticle, { id: draft.id, publishedOnly: true }, actor), 'NOT_FOUND');

    await expectRemoteError(ctx.call(updateKbArticle, { id: draft.id, expectedVersion: 7, patch: { status: 'published' } }, actor), 'PRECONDITION_FAILED');
    const published = await ctx.call(updateKbArticle, { id: draft.id, expectedVersion: 1, patch: { status: 'published', body: 'Download a spreadsheet from analytics.' } }, actor);
    expect(published).toMatchObject({ status: 'published', version: 2, publishedAt: expect.any(String) });
    expect(await ctx.call(getKbArticle, { id: draft.id, publishedOnly: true }, actor)).toMatchObject({ body: 'Download a spreadsheet from analytics.' });
    expect(titles(await ctx.call(searchKbArticles, { q: 'spreadsheet' }, actor))).toEqual(['Export your data']);
    expect(titles(await ctx.call(searchKbArticles, { q: 'CSV' }, actor))).toEqual([]);
    // A patch of one field leaves the others as they were.
    const retitled = await ctx.call(updateKbArticle, { id: draft.id, patch: { title: 'Export all your data' } }, actor);
    expect(retitled).toMatchObject({ title: 'Export all your data', status: 'published', body: 'Download a spreadsheet from analytics.', version: 3 });

    expect(await ctx.call(deleteKbArticle, { id: draft.id }, actor)).toEqual({ deleted: true });
    expect(await ctx.call(deleteKbArticle, { id: draft.id }, actor)).toEqual({ deleted: false });
    const events = await ctx.database.selectFrom('outbox_message').select('type').where('subject', '=', draft.id).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual([kbArticlePublished.name, kbArticleChanged.name, kbArticleChanged.name]);
  });

  it('keeps categories per tenant (a name once), filters by category, and refuses an unknown one naming the field', async () => {
    const howTo = await ctx.call(createKbCategory, { category: { name: 'How-to', position: 1 } }, actor);
    await ctx.call(createKbCategory, { category: { name: 'Billing', position: 0 } }, actor);
    await expectRemoteError(ctx.call(createKbCategory, { category: { name: 'How-to' } }, actor), 'CONFLICT');
    expect((await ctx.call(listKbCategories, {}, actor)).data.map((c) => c.name)).toEqual(['Billing', 'How-to']);

    await article('Print a label', 'Labels print from the order page.', { categoryId: howTo.id });
    await article('Print an invoice', 'Invoices print from billing.');
    expect(titles(await ctx.call(searchKbArticles, { q: 'print', categoryId: howTo.id }, actor))).toEqual(['Print a label']);
    const refused = await expectRemoteError(article('X', 'y', { categoryId: randomUUID() }), 'VALIDATION_FAILED');
    expect(JSON.stringify(refused.details)).toContain('categoryId');
  });
});
