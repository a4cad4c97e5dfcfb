import { randomUUID } from 'node:crypto';
import { Actor, deleteContact, emailEngaged, eraseContact, INTERACTION_CHANNELS, Interaction, listInteractions, logInteraction } from '@crm/contracts';
import { testEnvelope } from '@crm/testing';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext, expectRemoteError, failedPaths } from '../testing/contacts-test-context';

/** A contact's timeline over the bus: logging, newest-first pages, channel filter, tenancy. */
describe('interaction timeline', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
    actor = ctx.newActor();
  });

  afterAll(() => ctx?.close());

  const log = (contactId: string, interaction: Partial<Parameters<typeof ctx.call<typeof logInteraction>>[1]['interaction']> = {}, as = actor) =>
    ctx.call(logInteraction, { contactId, interaction: { channel: 'note', ...interaction } }, as);

  async function allPages(contactId: string, limit: number, channel?: Interaction['channel']): Promise<Interaction[]> {
    const seen: Interaction[] = [];
    let cursor: string | undefined;
    do {
      const page = await ctx.call(listInteractions, { contactId, limit, channel, cursor }, actor);
      seen.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  }

  it('logs an interaction for the actor, now by default, and publishes it without the body', async () => {
    const contact = await ctx.newContact(actor);
    const before = Date.now();
    const logged = await log(contact.id, { channel: 'call', direction: 'outbound', subject: 'Intro call', body: 'Talked about pricing.' });

    expect(logged).toMatchObject({
      contactId: contact.id,
      channel: 'call',
      direction: 'outbound',
      subject: 'Intro call',
      body: 'Talked about pricing.',
      loggedBy: actor.userId,
    });
    expect(Date.parse(logged.occurredAt)).toBeGreaterThanOrEqual(before - 1_000);
    const event = await ctx.event((e) => e.type === 'contacts.interaction.logged.v1' && e.subject === logged.id);
    expect(event.tenantid).toBe(actor.tenantId);
    const { body: _body, ...withoutBody } = logged;
    expect(event.data).toEqual({ interaction: withoutBody });
  });

  it('accepts all five channels and filters by channel', async () => {
    const contact = await ctx.newContact(actor);
    for (const channel of INTERACTION_CHANNELS) await log(contact.id, { channel, subject: channel });
    await log(contact.id, { channel: 'email', subject: 'second email' });

    expect((await allPages(contact.id, 100)).map((i) => i.channel).sort()).toEqual([...INTERACTION_CHANNELS, 'email'].sort());
    const emails = await allPages(contact.id, 100, 'email');
    expect(emails.map((i) => i.subject).sort()).toEqual(['email', 'second email']);
    expect(await allPages(contact.id, 100, 'meeting')).toHaveLength(1);
  });

  it('pages newest first by occurredAt, with a cursor that survives new and back-dated entries', async () => {
    const contact = await ctx.newContact(actor);
    const base = Date.parse('2026-01-01T12:00:00Z');
    // Three share one instant: ties are ordered by id and never split or repeated across pages.
    const offsets = [5, 1, 3, 3, 3, 0, 4, 2];
    for (const [n, minutes] of offsets.entries()) {
      await log(contact.id, { subject: `#${n}`, occurredAt: new Date(base + minutes * 60_000).toISOString() });
    }

    const first = await ctx.call(listInteractions, { contactId: contact.id, limit: 3 }, actor);
    expect(first.data).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    // Logged meanwhile: one newer than everything, one back-dated into the middle of the next page.
    await log(contact.id, { subject: 'newest', occurredAt: new Date(base + 60 * 60_000).toISOString() });
    await log(contact.id, { subject: 'late', occurredAt: new Date(base + 150_000).toISOString() });

    const rest: Interaction[] = [];
    let cursor = first.nextCursor ?? undefined;
    while (cursor) {
      const page = await ctx.call(listInteractions, { contactId: contact.id, limit: 3, cursor }, actor);
      rest.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    }
    const walked = [...first.data, ...rest];
    const ids = walked.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = walked.map((i) => [Date.parse(i.occurredAt), i.id] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
    expect(keys).toEqual(sorted);
    // Everything originally there is seen once; the back-dated one lands on a later page, the newest one before the cursor.
    expect(walked.map((i) => i.subject)).toEqual(expect.arrayContaining(offsets.map((_, n) => `#${n}`).concat('late')));
    expect(walked.map((i) => i.subject)).not.toContain('newest');
  });

  it('refuses a cursor that is not one', async () => {
    const contact = await ctx.newContact(actor);
    const error = await expectRemoteError(ctx.call(listInteractions, { contactId: contact.id, cursor: 'nonsense' }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(error)).toEqual(['cursor']);
  });

  it("answers NOT_FOUND for another tenant's contact, an unknown one and a deleted one (log only)", async () => {
    const contact = await ctx.newContact(actor);
    await log(contact.id, { body: 'secret' });
    const stranger = ctx.newActor();

    await expectRemoteError(log(contact.id, {}, stranger), 'NOT_FOUND');
    await expectRemoteError(ctx.call(listInteractions, { contactId: contact.id }, stranger), 'NOT_FOUND');
    await expectRemoteError(log(randomUUID()), 'NOT_FOUND');
    await expectRemoteError(ctx.call(listInteractions, { contactId: randomUUID() }, actor), 'NOT_FOUND');

    await ctx.call(deleteContact, { id: contact.id }, actor);
    await expectRemoteError(log(contact.id), 'NOT_FOUND');
    // Within the restore window its timeline stays readable, as the contact does.
    expect((await ctx.call(listInteractions, { contactId: contact.id }, actor)).data).toHaveLength(1);
  });

  it('names the bad fields of an interaction', async () => {
    const contact = await ctx.newContact(actor);
    const error = await expectRemoteError(
      ctx.callUnchecked(logInteraction, { contactId: contact.id, interaction: { channel: 'fax', occurredAt: 'yesterday' } }, actor),
      'VALIDATION_FAILED',
    );
    expect(failedPaths(error).sort()).toEqual(['interaction.channel', 'interaction.occurredAt']);
  });

  it("puts the sales service's tracked opens and clicks on the timeline once (no direction: not a reply); an erased contact gets none", async () => {
    const contact = await ctx.newContact(actor);
    const engaged = (kind: 'opened' | 'clicked', contactId = contact.id) =>
      testEnvelope(
        emailEngaged,
        {
          sendId: randomUUID(),
          contactId,
          templateId: randomUUID(),
          templateName: 'Spring offer',
          kind,
          url: kind === 'clicked' ? 'https://shop.example/spring' : null,
          source: { kind: 'campaign', id: randomUUID() },
          at: '2026-12-01T10:00:00.000Z',
        },
        { tenantId: actor.tenantId, subject: randomUUID() },
      );
    const click = engaged('clicked');
    await ctx.deliver(engaged('opened'), click);
    await ctx.deliver(click);
    const timeline = (await ctx.call(listInteractions, { contactId: contact.id }, actor)).data;
    expect(timeline.map((i) => [i.channel, i.direction, i.subject, i.loggedBy]).sort()).toEqual([
      ['email', null, 'Clicked a link in “Spring offer”', 'email-tracking'],
      ['email', null, 'Opened “Spring offer”', 'email-tracking'],
    ]);
    expect(timeline.find((i) => i.subject?.startsWith('Clicked'))).toMatchObject({
      body: 'https://shop.example/spring',
      occurredAt: '2026-12-01T10:00:00.000Z',
    });

    const erased = await ctx.newContact(actor);
    await ctx.call(eraseContact, { id: erased.id }, actor);
    await ctx.deliver(engaged('opened', erased.id));
    const rows = await ctx.service.app.get(Database).selectFrom('interaction').select('id').where('contact_id', '=', erased.id).execute();
    expect(rows).toHaveLength(0);
  });
});
