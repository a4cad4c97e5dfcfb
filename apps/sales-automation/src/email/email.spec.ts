import { randomUUID } from 'node:crypto';
import {
  Actor,
  contactCreated,
  contactErased,
  createEmailTemplate,
  getEmailConsent,
  getEmailSender,
  previewEmailTemplate,
  resetEmailSender,
  setEmailSender,
  sendContactEmail,
  setEmailConsent,
  unsubscribeByToken,
  updateEmailTemplate,
} from '@crm/contracts';
import { SmtpCatcher } from '@crm/testing';
import { EmailDispatch } from '../automation-ports/email-dispatch.port';
import { ContactEventsPublisher, contactsEnvelope } from '../testing/contact-events';
import { contactOf } from '../testing/contact-reference-builders';
import { expectOrderError, namedFields, OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

/** Who the gateway says calls for a mail client following a List-Unsubscribe link: no tenant, no role. */
const MAIL_CLIENT: Actor = { tenantId: 'public', userId: 'unsubscribe-link', roles: [] };

/** Templates, consent and sending against a real SMTP server in this process (smtp-server), read back parsed. */
describe('email: templates, consent, sending over SMTP', () => {
  let ctx: SalesAutomationTestContext;
  let smtp: SmtpCatcher;
  let bus: ContactEventsPublisher;
  let actor: Actor;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    ctx = await SalesAutomationTestContext.start({
      env: {
        SALES_AUTOMATION_SMTP_URL: smtp.url,
        SALES_AUTOMATION_MAIL_FROM: 'Shop <hello@shop.example>',
        SALES_AUTOMATION_PUBLIC_BASE_URL: 'https://crm.example',
      },
    });
    bus = await ContactEventsPublisher.for(ctx);
  });
  afterAll(async () => {
    await bus?.close();
    await ctx?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['admin'] };
  });

  const dispatch = () => ctx.service.app.get(EmailDispatch);
  const orders = () => new OrderBuilders(ctx);
  /** Contacts as the contacts service's events bring them (one delivery, waited for: deliveries counted at once would overlap). */
  async function contacts(...people: { firstName: string; address?: string | null }[]) {
    const made = people.map(({ firstName, address }) => {
      const email = address === undefined ? `${firstName.replace(/\W/g, '').toLowerCase()}-${randomUUID()}@example.com` : address;
      return contactOf({ firstName, emails: email ? [{ address: email, primary: true }] : [] });
    });
    await bus.deliver(...made.map((c) => contactsEnvelope(contactCreated, { contact: c }, { tenantId: actor.tenantId, subject: c.id, version: 1 })));
    return made.map((c) => ({ id: c.id, address: c.emails[0]?.address ?? null }));
  }
  const contact = async (firstName: string, address?: string | null) => (await contacts({ firstName, address }))[0];
  const template = (purpose: 'transactional' | 'marketing', html = '<p>Hello {{ contact.firstName }}</p>') =>
    ctx.call(createEmailTemplate, { template: { name: `${purpose} mail`, purpose, subject: `${purpose} for {{ contact.firstName }}`, html } }, actor);
  const mailTo = (address: string | null) => smtp.messages.filter((m) => m.to.includes(address as string));

  it('sends transactional mail with a stable Message-ID and a text part, and no unsubscribe headers', async () => {
    const ada = await contact('Ada');
    const thanks = await template('transactional', '<p>Thank you, <b>{{ contact.firstName }}</b>!</p>');
    const outcome = await ctx.call(sendContactEmail, { contactId: ada.id, templateId: thanks.id }, actor);
    expect(outcome).toMatchObject({ status: 'sent' });
    const mail = await smtp.waitFor((m) => m.to.includes(ada.address as string));
    expect(mail.messageId).toBe(outcome.status === 'sent' ? outcome.messageId : 'none');
    expect(mail.messageId).toMatch(/^<[0-9a-f-]+@shop\.example>$/);
    expect(mail.parsed.subject).toBe('transactional for Ada');
    expect(mail.parsed.text).toContain('Thank you, ADA!'.replace('ADA', 'Ada'));
    expect(mail.parsed.from?.value).toEqual([{ name: 'Shop', address: 'hello@shop.example' }]);
    expect(mail.raw).not.toMatch(/^List-Unsubscribe/im);
  });

  it('refuses marketing mail to anyone not subscribed; one-click unsubscribe stops it, transactional mail still goes', async () => {
    const bob = await contact('Bob');
    const offer = await template('marketing', '<p>10% off, {{ contact.firstName }}. <a href="{{ unsubscribe_url }}">Unsubscribe</a></p>');
    const receipt = await template('transactional');
    expect(await ctx.call(sendContactEmail, { contactId: bob.id, templateId: offer.id }, actor)).toEqual({ status: 'skipped', reason: 'not-subscribed' });

    expect(await ctx.call(setEmailConsent, { contactId: bob.id, status: 'subscribed', source: 'form' }, actor)).toMatchObject({
      status: 'subscribed',
      source: 'form',
    });
    expect(await ctx.call(sendContactEmail, { contactId: bob.id, templateId: offer.id }, actor)).toMatchObject({ status: 'sent' });
    const mail = await smtp.waitFor((m) => m.to.includes(bob.address as string));
    // mailparser folds List-* headers into one structured `list` header: the raw message says it as sent.
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const link = /<(https:\/\/crm\.example\/api\/v1\/public\/unsubscribe\/[^>]+)>/.exec(mail.raw)?.[1];
    expect(link).toBeDefined();
    expect(mail.parsed.html).toContain(link);

    const token = (link as string).split('/').pop() as string;
    // A path segment: within Fastify's default limit of a route parameter (100 characters).
    expect(token.length).toBeLessThanOrEqual(100);
    await expectOrderError(ctx.call(unsubscribeByToken, { token: `${token}x` }, MAIL_CLIENT), 'VALIDATION_FAILED');
    expect(await ctx.call(unsubscribeByToken, { token }, MAIL_CLIENT)).toEqual({ status: 'unsubscribed' });
    const consent = await ctx.call(getEmailConsent, { contactId: bob.id }, actor);
    expect(consent).toMatchObject({ status: 'unsubscribed', source: 'unsubscribe-link' });
    expect(consent.history.map((h) => h.status)).toEqual(['unsubscribed', 'subscribed']);

    expect(await ctx.call(sendContactEmail, { contactId: bob.id, templateId: offer.id }, actor)).toEqual({ status: 'skipped', reason: 'not-subscribed' });
    expect(await ctx.call(sendContactEmail, { contactId: bob.id, templateId: receipt.id }, actor)).toMatchObject({ status: 'sent' });
    await smtp.waitFor((m) => m.to.includes(bob.address as string) && m.parsed.subject === 'transactional for Bob');
    expect(mailTo(bob.address).filter((m) => m.parsed.subject?.startsWith('marketing'))).toHaveLength(1);
  });

  it('sends a send key once: the same key again answers already-sent with the same Message-ID', async () => {
    const cleo = await contact('Cleo');
    const receipt = await template('transactional');
    const request = { tenantId: actor.tenantId, contactId: cleo.id, templateId: receipt.id, sendKey: `test:${randomUUID()}` };
    const first = await dispatch().send(request);
    const second = await dispatch().send(request);
    expect(first.status).toBe('sent');
    expect(second).toEqual({ status: 'already-sent', sendId: (first as { sendId: string }).sendId, messageId: (first as { messageId: string }).messageId });
    await smtp.waitFor((m) => m.to.includes(cleo.address as string));
    expect(mailTo(cleo.address)).toHaveLength(1);
  });

  it('sends a batch over the pool, one outcome per request in order (no address: skipped; unknown template: failed)', async () => {
    const receipt = await template('transactional');
    const people = await contacts(...Array.from({ length: 20 }, (_, i) => ({ firstName: `P${i}` })));
    const nobody = await contact('Nomail', null);
    const requests = [...people, nobody].map((p) => ({ tenantId: actor.tenantId, contactId: p.id, templateId: receipt.id, sendKey: `batch:${p.id}` }));
    const outcomes = await dispatch().sendMany([...requests, { ...requests[0], templateId: randomUUID(), sendKey: 'unknown-template' }]);
    expect(outcomes.slice(0, 20).every((o) => o.status === 'sent')).toBe(true);
    expect(outcomes[20]).toEqual({ status: 'skipped', reason: 'no-email' });
    expect(outcomes[21]).toMatchObject({ status: 'failed' });
    await smtp.waitFor(() => people.every((p) => mailTo(p.address).length === 1));
  });

  it('checks templates at save (a Liquid syntax error answers 400 naming the field) and escapes HTML in the preview', async () => {
    const broken = await expectOrderError(template('marketing', '<p>{% if contact.firstName %}never closed</p>'), 'VALIDATION_FAILED');
    expect(namedFields(broken)).toEqual(['template.html']);
    const ok = await template('transactional', '<p>Hi {{ contact.firstName }}</p>');
    const badPatch = await expectOrderError(
      ctx.call(updateEmailTemplate, { id: ok.id, patch: { subject: 'Hi {{ contact.firstName | nosuchfilter }}' } }, actor),
      'VALIDATION_FAILED',
    );
    expect(namedFields(badPatch)).toEqual(['patch.subject']);
    await expectOrderError(ctx.call(updateEmailTemplate, { id: ok.id, expectedVersion: 9, patch: { name: 'x' } }, actor), 'PRECONDITION_FAILED');

    const mallory = await contact('<script>alert(1)</script>');
    const preview = await ctx.call(previewEmailTemplate, { id: ok.id, contactId: mallory.id }, actor);
    expect(preview.html).toBe('<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(preview.subject).toBe('transactional for <script>alert(1)</script>');

    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    await expectOrderError(ctx.call(previewEmailTemplate, { id: ok.id, contactId: mallory.id }, other), 'NOT_FOUND');
  });

  it("an erased contact's consent, its history and its sends are gone", async () => {
    const dora = await contact('Dora');
    const receipt = await template('transactional');
    await ctx.call(setEmailConsent, { contactId: dora.id, status: 'subscribed', source: 'api' }, actor);
    await ctx.call(sendContactEmail, { contactId: dora.id, templateId: receipt.id }, actor);
    await bus.deliver(
      contactsEnvelope(contactErased, { contactId: dora.id, erasedAt: new Date().toISOString() }, { tenantId: actor.tenantId, subject: dora.id, version: 2 }),
    );
    for (const table of ['email_consent', 'email_consent_history', 'email_send'] as const) {
      const rows = await ctx.database
        .selectFrom(table)
        .select('contact_id')
        .where('tenant_id', '=', actor.tenantId)
        .where('contact_id', '=', dora.id)
        .execute();
      expect({ table, rows: rows.length }).toEqual({ table, rows: 0 });
    }
    await expectOrderError(ctx.call(getEmailConsent, { contactId: dora.id }, actor), 'NOT_FOUND');
  });

  it("sends from the tenant's own sender (From, Reply-To, the Message-ID's domain, the templates' sender); another tenant keeps the system's; reset with If-Match", async () => {
    const eve = await contact('Eve');
    const signed = await ctx.call(
      createEmailTemplate,
      { template: { name: 'Signed', purpose: 'transactional', subject: 'From {{ sender.name }}', html: '<p>Write to {{ sender.address }}</p>' } },
      actor,
    );
    const set = await ctx.call(
      setEmailSender,
      { sender: { name: 'Acme Shop', address: 'news@acme.example', replyTo: 'help@acme.example' }, expectedVersion: 0 },
      actor,
    );
    expect(set).toMatchObject({ name: 'Acme Shop', address: 'news@acme.example', replyTo: 'help@acme.example', systemDefault: false, version: 1 });
    await ctx.call(sendContactEmail, { contactId: eve.id, templateId: signed.id }, actor);
    const mail = await smtp.waitFor((m) => m.to.includes(eve.address as string));
    expect(mail.parsed.from?.value).toEqual([{ name: 'Acme Shop', address: 'news@acme.example' }]);
    expect(mail.parsed.replyTo?.value).toEqual([{ name: '', address: 'help@acme.example' }]);
    expect(mail.messageId).toMatch(/@acme\.example>$/);
    expect(mail.parsed.subject).toBe('From Acme Shop');
    expect(mail.parsed.text).toContain('Write to news@acme.example');

    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    expect(await ctx.call(getEmailSender, {}, other)).toMatchObject({ name: 'Shop', address: 'hello@shop.example', systemDefault: true, version: 0 });
    await expectOrderError(
      ctx.call(setEmailSender, { sender: { name: 'x', address: 'x@x.example', replyTo: null }, expectedVersion: 0 }, actor),
      'PRECONDITION_FAILED',
    );
    const bad = await expectOrderError(
      orders().callUnchecked(setEmailSender, { sender: { name: 'x', address: 'not an address' } }, actor),
      'VALIDATION_FAILED',
    );
    expect(namedFields(bad)).toEqual(['sender.address']);
    expect(await ctx.call(resetEmailSender, { expectedVersion: 1 }, actor)).toMatchObject({ address: 'hello@shop.example', systemDefault: true });
  });
});
