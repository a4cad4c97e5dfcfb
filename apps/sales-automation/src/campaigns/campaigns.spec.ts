import { randomUUID } from 'node:crypto';
import {
  Actor,
  cancelCampaign,
  Contact,
  contactCreated,
  contactErased,
  createCampaign,
  createEmailTemplate,
  createSequence,
  getCampaign,
  listCampaigns,
  emailEngaged,
  listEnrolments,
  previewCampaignSegment,
  recordEmailEngagement,
  setEmailConsent,
  updateCampaign,
} from '@crm/contracts';
import { Clock } from '@crm/service-kit';
import { SmtpCatcher } from '@crm/testing';
import { ContactEventsPublisher, contactsEnvelope } from '../testing/contact-events';
import { contactOf } from '../testing/contact-reference-builders';
import { expectOrderError, namedFields, OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';
import { SequenceRunner } from '../sequences/run-steps/sequence-runner';
import { CampaignRunner } from './run/campaign-runner';

const DAY_MS = 86_400_000;

/**
 * Campaigns against a real database, broker and SMTP server: segments (tags, custom fields,
 * company, last purchase, consent), the launch at the scheduled time by the service's clock, the
 * send rate, template and sequence campaigns, bad input, cancel, tenants, erased contacts. The
 * runners' polls are off: each test drains them itself.
 */
describe('campaigns: segments, schedule, rate, sending', () => {
  let ctx: SalesAutomationTestContext;
  let smtp: SmtpCatcher;
  let bus: ContactEventsPublisher;
  let orders: OrderBuilders;
  let actor: Actor;
  let offsetMs = 0;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    ctx = await SalesAutomationTestContext.start({
      env: {
        SALES_AUTOMATION_SMTP_URL: smtp.url,
        SALES_AUTOMATION_MAIL_FROM: 'Shop <hello@shop.example>',
        SALES_AUTOMATION_JOBS_ENABLED: 'false',
        SALES_AUTOMATION_PUBLIC_BASE_URL: 'https://crm.example',
      },
    });
    bus = await ContactEventsPublisher.for(ctx);
    orders = new OrderBuilders(ctx);
    jest.spyOn(ctx.service.app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + offsetMs));
  });
  afterAll(async () => {
    await bus?.close();
    await ctx?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['admin'] };
    offsetMs = 0;
  });

  const drain = () => ctx.service.app.get(CampaignRunner).drain();
  const mailTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));

  /** Contacts as the contacts service's events bring them, subscribed unless told. */
  async function people(...specs: Array<Partial<Contact> & { firstName: string; consent?: 'subscribed' | 'unsubscribed' | null }>) {
    const made = specs.map(({ consent, ...spec }) => ({
      consent: consent === undefined ? 'subscribed' : consent,
      contact: contactOf({ emails: [{ address: `${spec.firstName.toLowerCase()}-${randomUUID()}@example.com`, primary: true }], ...spec }),
    }));
    await bus.deliver(
      ...made.map(({ contact }) => contactsEnvelope(contactCreated, { contact }, { tenantId: actor.tenantId, subject: contact.id, version: 1 })),
    );
    for (const { contact, consent } of made) {
      if (consent) await ctx.call(setEmailConsent, { contactId: contact.id, status: consent, source: 'form' }, actor);
    }
    return made.map(({ contact }) => ({ id: contact.id, address: contact.emails[0].address }));
  }
  const offer = (subject = 'Spring offer') =>
    ctx.call(createEmailTemplate, { template: { name: subject, purpose: 'marketing', subject, html: `<p>${subject} for {{ contact.firstName }}</p>` } }, actor);

  it('previews a segment by tags, custom fields, company, last purchase and consent', async () => {
    const company = randomUUID();
    const [ada, bob, cleo] = await people(
      { firstName: 'Ada', tags: ['vip', 'newsletter'], customFields: { tier: 'gold' }, companyId: company },
      { firstName: 'Bob', tags: ['vip'], customFields: { tier: 'silver' } },
      { firstName: 'Cleo', tags: ['vip', 'newsletter'], consent: 'unsubscribed' },
    );
    await orders.newOrder(actor, { contactId: bob.id, purchasedAt: new Date(Date.now() - 10 * DAY_MS).toISOString() });
    const preview = async (segment: object) => {
      const { count, sample } = await ctx.call(previewCampaignSegment, { segment } as never, actor);
      expect(sample.length).toBe(Math.min(count, 10));
      return sample.map((s) => s.contactId).sort();
    };
    expect(await preview({ tags: ['vip'] })).toEqual([ada.id, bob.id, cleo.id].sort());
    expect(await preview({ tags: ['vip', 'newsletter'] })).toEqual([ada.id, cleo.id].sort());
    expect(await preview({ customFields: { tier: 'gold' } })).toEqual([ada.id]);
    expect(await preview({ companyId: company })).toEqual([ada.id]);
    expect(await preview({ lastPurchase: { withinDays: 30 } })).toEqual([bob.id]);
    expect(await preview({ lastPurchase: { notWithinDays: 30 } })).toEqual([ada.id, cleo.id].sort());
    expect(await preview({ tags: ['vip'], consent: ['subscribed'] })).toEqual([ada.id, bob.id].sort());
    // Another tenant's contacts never match.
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    expect(await ctx.call(previewCampaignSegment, { segment: { tags: ['vip'] } } as never, other)).toEqual({ count: 0, sample: [] });
  });

  it('launches at its time, sends the template to the segment at the send rate, then is sent with counts', async () => {
    const template = await offer();
    const group = await people(...Array.from({ length: 6 }, (_, i) => ({ firstName: `P${i}`, tags: ['spring'] })), {
      firstName: 'Off',
      tags: ['spring'],
      consent: 'unsubscribed',
    });
    const at = new Date(Date.now() + DAY_MS);
    const campaign = await ctx.call(
      createCampaign,
      {
        campaign: {
          name: 'Spring',
          segment: { tags: ['spring'] },
          content: { kind: 'template', templateId: template.id },
          scheduledAt: at.toISOString(),
          ratePerMinute: 3,
        },
      },
      actor,
    );
    expect(campaign).toMatchObject({ status: 'scheduled', counts: { recipients: 0 }, ratePerMinute: 3 });

    expect(await drain()).toBe(0);
    expect((await ctx.call(getCampaign, { id: campaign.id }, actor)).status).toBe('scheduled');

    // At its time: the segment resolved (7 recipients), one due every 20 s (3 a minute).
    offsetMs = DAY_MS + 1_000;
    // (The unsubscribed one is skipped wherever it falls in the order: handled = sent + skipped.)
    const handled = async () => {
      const { counts } = await ctx.call(getCampaign, { id: campaign.id }, actor);
      return counts.sent + counts.skipped + counts.failed;
    };
    expect(await drain()).toBe(1);
    expect(await ctx.call(getCampaign, { id: campaign.id }, actor)).toMatchObject({ status: 'sending', counts: { recipients: 7 } });
    expect(await handled()).toBe(1);
    offsetMs = DAY_MS + 51_000;
    await drain();
    expect(await handled()).toBe(3);
    offsetMs = DAY_MS + 181_000;
    await drain();
    const sent = await ctx.call(getCampaign, { id: campaign.id }, actor);
    expect(sent).toMatchObject({ status: 'sent', counts: { recipients: 7, sent: 6, skipped: 1, failed: 0 } });
    await smtp.waitFor(() => group.slice(0, 6).every((p) => mailTo(p.address).length === 1));
    expect(mailTo(group[6].address)).toHaveLength(0);
    const mail = mailTo(group[0].address)[0];
    expect(mail.parsed.subject).toBe('Spring offer');
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect((await ctx.call(listCampaigns, { status: 'sent' }, actor)).data.map((c) => c.id)).toEqual([campaign.id]);
  });

  it('a sequence campaign enrols each recipient (source: the campaign)', async () => {
    const template = await offer('Welcome');
    const sequence = await ctx.call(createSequence, { sequence: { name: 'Welcome', steps: [{ type: 'sendEmail', templateId: template.id }] } }, actor);
    const [dan, eve] = await people({ firstName: 'Dan', tags: ['new'] }, { firstName: 'Eve', tags: ['new'] });
    const campaign = await ctx.call(
      createCampaign,
      {
        campaign: {
          name: 'Onboarding',
          segment: { tags: ['new'] },
          content: { kind: 'sequence', sequenceId: sequence.id },
          scheduledAt: new Date().toISOString(),
        },
      },
      actor,
    );
    await drain();
    // The second recipient is due 100 ms after the first (600 a minute, the default rate).
    offsetMs = 60_000;
    await drain();
    expect(await ctx.call(getCampaign, { id: campaign.id }, actor)).toMatchObject({ status: 'sent', counts: { recipients: 2, enrolled: 2 } });
    const enrolments = (await ctx.call(listEnrolments, { filter: { sequenceId: sequence.id } }, actor)).data;
    expect(enrolments.map((e) => e.contactId).sort()).toEqual([dan.id, eve.id].sort());
    expect(enrolments.every((e) => e.source.kind === 'campaign' && e.source.id === campaign.id)).toBe(true);
    await ctx.service.app.get(SequenceRunner).drain();
    await smtp.waitFor(() => mailTo(dan.address).length === 1 && mailTo(eve.address).length === 1);
  });

  it('bad input: a segment matching no contact, a transactional or unknown template each answer 400 naming the field; an empty segment at launch fails the campaign', async () => {
    const template = await offer();
    const receipt = await ctx.call(
      createEmailTemplate,
      { template: { name: 'Receipt', purpose: 'transactional', subject: 'Receipt', html: '<p>r</p>' } },
      actor,
    );
    const [fay] = await people({ firstName: 'Fay', tags: ['solo'] });
    const create = (campaign: object) => ctx.call(createCampaign, { campaign } as never, actor);

    const empty = await expectOrderError(
      create({ name: 'Nobody', segment: { tags: ['nobody-has-this'] }, content: { kind: 'template', templateId: template.id } }),
      'VALIDATION_FAILED',
    );
    expect(namedFields(empty)).toEqual(['campaign.segment']);
    const transactional = await expectOrderError(
      create({ name: 'Receipts', segment: { tags: ['solo'] }, content: { kind: 'template', templateId: receipt.id } }),
      'VALIDATION_FAILED',
    );
    expect(namedFields(transactional)).toEqual(['campaign.content.templateId']);
    const unknown = await expectOrderError(
      create({ name: 'Ghost', segment: {}, content: { kind: 'sequence', sequenceId: randomUUID() } }),
      'VALIDATION_FAILED',
    );
    expect(namedFields(unknown)).toEqual(['campaign.content.sequenceId']);
    const shape = await expectOrderError(
      orders.callUnchecked(
        createCampaign,
        { campaign: { name: 'Bad', segment: { lastPurchase: {} }, content: { kind: 'template', templateId: template.id }, ratePerMinute: 0 } },
        actor,
      ),
      'VALIDATION_FAILED',
    );
    expect(namedFields(shape).sort()).toEqual(['campaign.ratePerMinute', 'campaign.segment.lastPurchase.withinDays']);

    // The segment matched at save; the contact is erased before the launch: a recorded error, not a crash.
    const campaign = await create({
      name: 'Solo',
      segment: { tags: ['solo'] },
      content: { kind: 'template', templateId: template.id },
      scheduledAt: new Date().toISOString(),
    });
    await bus.deliver(
      contactsEnvelope(contactErased, { contactId: fay.id, erasedAt: new Date().toISOString() }, { tenantId: actor.tenantId, subject: fay.id, version: 2 }),
    );
    await drain();
    expect(await ctx.call(getCampaign, { id: campaign.id }, actor)).toMatchObject({ status: 'failed', errorCode: 'SEGMENT_EMPTY', counts: { recipients: 0 } });
  });

  it('tracks marketing mail: links through a signed click redirect and an open pixel, each first one published for the timeline', async () => {
    const template = await ctx.call(
      createEmailTemplate,
      {
        template: {
          name: 'Tracked offer',
          purpose: 'marketing',
          subject: 'Offer',
          html: '<p><a href="https://shop.example/spring?ref=mail&amp;x=1">Shop now</a> <a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
        },
      },
      actor,
    );
    const [gus] = await people({ firstName: 'Gus', tags: ['tracked'] });
    const campaign = await ctx.call(
      createCampaign,
      {
        campaign: {
          name: 'Tracked',
          segment: { tags: ['tracked'] },
          content: { kind: 'template', templateId: template.id },
          scheduledAt: new Date().toISOString(),
        },
      },
      actor,
    );
    await drain();
    const mail = await smtp.waitFor((m) => m.to.includes(gus.address));
    const html = mail.parsed.html as string;
    const click = /href="(https:\/\/[^"]+\/api\/v1\/public\/email\/click\/[^"]+)"/.exec(html)?.[1].replace(/&amp;/g, '&');
    const pixel = /<img src="(https:\/\/[^"]+\/api\/v1\/public\/email\/open\/[^"]+)"/.exec(html)?.[1];
    expect(click).toBeDefined();
    expect(pixel).toBeDefined();
    expect(html).toMatch(/href="https:\/\/[^"]+\/api\/v1\/public\/unsubscribe\//);

    // As the gateway calls: the token from the path, the link from the query string; no tenant, no user.
    const anonymous: Actor = { tenantId: 'public', userId: 'email-tracking', roles: [] };
    const clickUrl = new URL(click as string);
    const token = clickUrl.pathname.split('/').pop() as string;
    const target = clickUrl.searchParams.get('u') as string;
    expect(target).toBe('https://shop.example/spring?ref=mail&x=1');
    expect(await ctx.call(recordEmailEngagement, { token, url: target }, anonymous)).toEqual({ url: target });
    expect(await ctx.call(recordEmailEngagement, { token, url: target }, anonymous)).toEqual({ url: target });
    // The signature covers the link: no open redirect.
    const forged = await expectOrderError(ctx.call(recordEmailEngagement, { token, url: 'https://evil.example/' }, anonymous), 'VALIDATION_FAILED');
    expect(namedFields(forged)).toEqual(['token']);
    const openToken = new URL(pixel as string).pathname.split('/').pop() as string;
    expect(await ctx.call(recordEmailEngagement, { token: openToken }, anonymous)).toEqual({ url: null });
    await expectOrderError(ctx.call(recordEmailEngagement, { token: openToken, url: target }, anonymous), 'VALIDATION_FAILED');

    // The send's id is the Message-ID's local part.
    const sendId = (/^<([0-9a-f-]+)@/.exec(mail.messageId ?? '') as RegExpExecArray)[1];
    const published = (await orders.outboxEvents(emailEngaged.name, sendId)).map(
      (e) => e.data as { kind: string; url: string | null; contactId: string; source: unknown },
    );
    expect(published).toEqual([
      expect.objectContaining({ kind: 'clicked', url: target, contactId: gus.id, source: { kind: 'campaign', id: campaign.id } }),
      expect.objectContaining({ kind: 'opened', url: null, contactId: gus.id }),
    ]);
  });

  it('a draft changes with If-Match and is scheduled by setting its time; cancel skips who was not reached; another tenant sees 404', async () => {
    const template = await offer();
    const group = await people(...Array.from({ length: 3 }, (_, i) => ({ firstName: `C${i}`, tags: ['slow'] })));
    const draft = await ctx.call(
      createCampaign,
      { campaign: { name: 'Draft', segment: { tags: ['slow'] }, content: { kind: 'template', templateId: template.id }, ratePerMinute: 1 } },
      actor,
    );
    expect(draft).toMatchObject({ status: 'draft', scheduledAt: null });
    await expectOrderError(ctx.call(updateCampaign, { id: draft.id, expectedVersion: draft.version + 1, patch: { name: 'x' } }, actor), 'PRECONDITION_FAILED');
    const scheduled = await ctx.call(updateCampaign, { id: draft.id, expectedVersion: draft.version, patch: { scheduledAt: new Date().toISOString() } }, actor);
    expect(scheduled).toMatchObject({ status: 'scheduled', version: draft.version + 1 });

    await drain();
    expect((await ctx.call(getCampaign, { id: draft.id }, actor)).counts).toMatchObject({ recipients: 3, sent: 1 });
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    await expectOrderError(ctx.call(getCampaign, { id: draft.id }, other), 'NOT_FOUND');
    await expectOrderError(ctx.call(cancelCampaign, { id: draft.id }, other), 'NOT_FOUND');
    const changing = await expectOrderError(ctx.call(updateCampaign, { id: draft.id, patch: { name: 'Too late' } }, actor), 'CONFLICT');
    expect(changing.details).toMatchObject({ problemCode: 'INVALID_STATUS_TRANSITION' });

    const cancelled = await ctx.call(cancelCampaign, { id: draft.id }, actor);
    expect(cancelled).toMatchObject({ status: 'cancelled', counts: { recipients: 3, sent: 1, skipped: 2 } });
    offsetMs = 10 * 60_000;
    expect(await drain()).toBe(0);
    await smtp.waitFor(() => group.some((p) => mailTo(p.address).length === 1));
    expect(group.filter((p) => mailTo(p.address).length > 0)).toHaveLength(1);
  });
});
