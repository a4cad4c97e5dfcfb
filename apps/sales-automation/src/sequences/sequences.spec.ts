import { randomUUID } from 'node:crypto';
import {
  Actor,
  contactCreated,
  contactErased,
  contactMerged,
  createEmailTemplate,
  createSequence,
  enrolContact,
  getEnrolment,
  getSequence,
  listEnrolments,
  pauseEnrolment,
  resumeEnrolment,
  SequenceStep,
  setEmailConsent,
  stopEnrolment,
  updateSequence,
} from '@crm/contracts';
import { SmtpCatcher } from '@crm/testing';
import { Clock as ServiceClock } from '@crm/service-kit';
import { ContactEventsPublisher, contactsEnvelope } from '../testing/contact-events';
import { contactOf } from '../testing/contact-reference-builders';
import { expectOrderError, namedFields, OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';
import { SequenceRunner } from './run-steps/sequence-runner';

const DAY_MS = 86_400_000;

/**
 * Sequences against a real database, broker and SMTP server (smtp-server in this process). The
 * runner's poll is off (SALES_AUTOMATION_JOBS_ENABLED=false): each test drains due steps itself,
 * with the service's clock moved by weeks.
 */
describe('sequences: versioned steps, enrolments, exits, the runner', () => {
  let ctx: SalesAutomationTestContext;
  let smtp: SmtpCatcher;
  let bus: ContactEventsPublisher;
  let orders: OrderBuilders;
  let actor: Actor;
  let offsetMs = 0;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    ctx = await SalesAutomationTestContext.start({
      env: { SALES_AUTOMATION_SMTP_URL: smtp.url, SALES_AUTOMATION_MAIL_FROM: 'Shop <hello@shop.example>', SALES_AUTOMATION_JOBS_ENABLED: 'false' },
    });
    bus = await ContactEventsPublisher.for(ctx);
    orders = new OrderBuilders(ctx);
    const clock = ctx.service.app.get(ServiceClock);
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(Date.now() + offsetMs));
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

  const drain = () => ctx.service.app.get(SequenceRunner).drain();
  const mailTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));

  async function customer(firstName: string, extra: Partial<Parameters<typeof contactOf>[0]> = {}) {
    const address = `${firstName.toLowerCase()}-${randomUUID()}@example.com`;
    const contact = contactOf({ firstName, emails: [{ address, primary: true }], ...extra });
    await bus.deliver(contactsEnvelope(contactCreated, { contact }, { tenantId: actor.tenantId, subject: contact.id, version: 1 }));
    await ctx.call(setEmailConsent, { contactId: contact.id, status: 'subscribed', source: 'form' }, actor);
    return { id: contact.id, address, contact };
  }
  const template = (purpose: 'transactional' | 'marketing', subject: string) =>
    ctx.call(createEmailTemplate, { template: { name: subject, purpose, subject, html: `<p>${subject}, {{ contact.firstName }}</p>` } }, actor);

  /** The seeds' example: a thank-you now, an offer three weeks later. */
  async function thankYouThenOffer(extra: SequenceStep[] = []) {
    const thanks = await template('transactional', 'Thank you');
    const offer = await template('marketing', 'An offer');
    const sequence = await ctx.call(
      createSequence,
      {
        sequence: {
          name: 'After a purchase',
          steps: [{ type: 'sendEmail', templateId: thanks.id }, { type: 'wait', days: 21 }, { type: 'sendEmail', templateId: offer.id }, ...extra],
        },
      },
      actor,
    );
    return { sequence, thanks, offer };
  }
  const subjects = (address: string) => mailTo(address).map((m) => m.parsed.subject);
  const history = async (id: string) => (await ctx.call(getEnrolment, { id }, actor)).history.map((h) => `${h.index}:${h.type}:${h.status}`);

  it('runs a thank-you now and the offer three weeks later, records each step, then completes', async () => {
    const { sequence } = await thankYouThenOffer();
    const ada = await customer('Ada');
    const enrolment = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: ada.id }, actor);
    expect(enrolment).toMatchObject({ status: 'active', nextStep: 0, sequenceVersion: 1, source: { kind: 'manual' } });

    expect(await drain()).toBe(1);
    await smtp.waitFor((m) => m.to.includes(ada.address));
    expect(subjects(ada.address)).toEqual(['Thank you']);
    const waiting = await ctx.call(getEnrolment, { id: enrolment.id }, actor);
    expect(waiting).toMatchObject({ status: 'active', nextStep: 2 });
    expect(new Date(waiting.nextStepAt as string).getTime() - Date.now()).toBeGreaterThan(20 * DAY_MS);

    // Nothing is due before the three weeks are up.
    offsetMs = 20 * DAY_MS;
    expect(await drain()).toBe(0);
    offsetMs = 21 * DAY_MS + 60_000;
    expect(await drain()).toBe(1);
    await smtp.waitFor((m) => m.to.includes(ada.address) && m.parsed.subject === 'An offer');
    expect(mailTo(ada.address).find((m) => m.parsed.subject === 'An offer')?.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

    const done = await ctx.call(getEnrolment, { id: enrolment.id }, actor);
    expect(done).toMatchObject({ status: 'completed', nextStep: 3, nextStepAt: null, exitReason: null });
    expect(done.history.map((h) => `${h.index}:${h.type}:${h.status}`)).toEqual(['0:sendEmail:succeeded', '1:wait:succeeded', '2:sendEmail:succeeded']);
    expect(done.history[0].detail).toMatchObject({ messageId: mailTo(ada.address)[0].messageId });
  });

  it('one running enrolment per contact and sequence (409 ALREADY_ENROLLED); once completed the contact can enrol again', async () => {
    const thanks = await template('transactional', 'Welcome');
    const sequence = await ctx.call(createSequence, { sequence: { name: 'Welcome', steps: [{ type: 'sendEmail', templateId: thanks.id }] } }, actor);
    const bea = await customer('Bea');
    const first = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: bea.id }, actor);
    const again = await expectOrderError(ctx.call(enrolContact, { sequenceId: sequence.id, contactId: bea.id }, actor), 'CONFLICT');
    expect(again.details).toMatchObject({ problemCode: 'ALREADY_ENROLLED', enrolmentId: first.id });

    await drain();
    expect(await ctx.call(getEnrolment, { id: first.id }, actor)).toMatchObject({ status: 'completed' });
    const second = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: bea.id }, actor);
    expect(second.id).not.toBe(first.id);
    await drain();
    await smtp.waitFor(() => mailTo(bea.address).length === 2);
  });

  it('a purchase in between ends the enrolment: no offer', async () => {
    const { sequence } = await thankYouThenOffer();
    const cleo = await customer('Cleo');
    const enrolment = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: cleo.id }, actor);
    await drain();
    await smtp.waitFor((m) => m.to.includes(cleo.address));

    offsetMs = 3 * DAY_MS;
    await orders.newOrder(actor, { contactId: cleo.id, purchasedAt: new Date(Date.now() + offsetMs).toISOString() });
    offsetMs = 22 * DAY_MS;
    await drain();
    const ended = await ctx.call(getEnrolment, { id: enrolment.id }, actor);
    expect(ended).toMatchObject({ status: 'exited', exitReason: 'purchased', nextStep: 2 });
    // Give a wrongly sent offer the time to arrive before saying none came.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subjects(cleo.address)).toEqual(['Thank you']);
  });

  it('an unsubscribe during the wait ends the enrolment; one from before still lets the transactional thank-you go, the offer skipped', async () => {
    const { sequence } = await thankYouThenOffer();
    const kim = await customer('Kim');
    const during = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: kim.id }, actor);
    await drain();
    await ctx.call(setEmailConsent, { contactId: kim.id, status: 'unsubscribed', source: 'api' }, actor);
    offsetMs = 22 * DAY_MS;
    await drain();
    expect(await ctx.call(getEnrolment, { id: during.id }, actor)).toMatchObject({ status: 'exited', exitReason: 'unsubscribed' });

    offsetMs = 0;
    const lea = await customer('Lea');
    await ctx.call(setEmailConsent, { contactId: lea.id, status: 'unsubscribed', source: 'api' }, actor);
    const before = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: lea.id }, actor);
    await drain();
    offsetMs = 22 * DAY_MS;
    await drain();
    await smtp.waitFor((m) => m.to.includes(lea.address));
    expect(await history(before.id)).toEqual(['0:sendEmail:succeeded', '1:wait:succeeded', '2:sendEmail:skipped']);
    expect(subjects(lea.address)).toEqual(['Thank you']);
    expect(subjects(kim.address)).toEqual(['Thank you']);
  });

  it('pause keeps the place (no step runs); resume runs a wait that passed at once; stop exits; If-Match is checked', async () => {
    const { sequence } = await thankYouThenOffer();
    const dan = await customer('Dan');
    const enrolment = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: dan.id }, actor);
    await drain();
    const waiting = await ctx.call(getEnrolment, { id: enrolment.id }, actor);

    await expectOrderError(ctx.call(pauseEnrolment, { id: enrolment.id, expectedVersion: waiting.version + 5 }, actor), 'PRECONDITION_FAILED');
    const paused = await ctx.call(pauseEnrolment, { id: enrolment.id, expectedVersion: waiting.version }, actor);
    expect(paused).toMatchObject({ status: 'paused', nextStep: 2 });
    offsetMs = 30 * DAY_MS;
    expect(await drain()).toBe(0);
    expect(subjects(dan.address)).toEqual(['Thank you']);
    expect((await expectOrderError(ctx.call(pauseEnrolment, { id: enrolment.id }, actor), 'CONFLICT')).details).toMatchObject({
      problemCode: 'INVALID_STATUS_TRANSITION',
    });

    const resumed = await ctx.call(resumeEnrolment, { id: enrolment.id }, actor);
    expect(new Date(resumed.nextStepAt as string).getTime()).toBeLessThanOrEqual(Date.now() + offsetMs);
    expect(await drain()).toBe(1);
    await smtp.waitFor((m) => m.to.includes(dan.address) && m.parsed.subject === 'An offer');

    const eve = await customer('Eve');
    const other = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: eve.id }, actor);
    expect(await ctx.call(stopEnrolment, { id: other.id }, actor)).toMatchObject({ status: 'exited', exitReason: 'stopped' });
    expect(await drain()).toBe(0);
    expect(mailTo(eve.address)).toHaveLength(0);
  });

  it('a running enrolment keeps its definition version when the steps change', async () => {
    const { sequence } = await thankYouThenOffer();
    const fay = await customer('Fay');
    const old = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: fay.id }, actor);
    await drain();

    const shorter = await template('marketing', 'A shorter offer');
    const updated = await ctx.call(
      updateSequence,
      { id: sequence.id, expectedVersion: sequence.version, patch: { steps: [{ type: 'sendEmail', templateId: shorter.id }] } },
      actor,
    );
    expect(updated).toMatchObject({ currentVersion: 2, steps: [{ type: 'sendEmail', templateId: shorter.id }] });
    await expectOrderError(
      ctx.call(updateSequence, { id: sequence.id, expectedVersion: sequence.version, patch: { name: 'x' } }, actor),
      'PRECONDITION_FAILED',
    );

    const gus = await customer('Gus');
    const fresh = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: gus.id }, actor);
    expect(fresh.sequenceVersion).toBe(2);
    offsetMs = 21 * DAY_MS + 60_000;
    await drain();
    await smtp.waitFor((m) => m.to.includes(fay.address) && m.parsed.subject === 'An offer');
    await smtp.waitFor((m) => m.to.includes(gus.address));
    expect(subjects(gus.address)).toEqual(['A shorter offer']);
    expect(await ctx.call(getEnrolment, { id: old.id }, actor)).toMatchObject({ sequenceVersion: 1, status: 'completed' });
    expect((await ctx.call(getSequence, { id: sequence.id }, actor)).currentVersion).toBe(2);
  });

  it('branches on the contact (a VIP skips to the end); waits until a weekday and hour in the contact’s time zone', async () => {
    const hello = await template('transactional', 'Hello');
    const regular = await template('transactional', 'Regular');
    const sequence = await ctx.call(
      createSequence,
      {
        sequence: {
          name: 'Branching',
          timeZone: 'Europe/Paris',
          steps: [
            { type: 'branch', condition: { in: ['vip', { var: 'contact.tags' }] }, goTo: 3 },
            { type: 'waitUntil', weekdays: ['mon'], hour: 9 },
            { type: 'sendEmail', templateId: regular.id },
            { type: 'sendEmail', templateId: hello.id },
          ],
        },
      },
      actor,
    );
    const vip = await customer('Vip', { tags: ['vip'] });
    const tokyo = await customer('Tokyo', { customFields: { time_zone: 'Asia/Tokyo' } });
    const vipEnrolment = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: vip.id }, actor);
    const tokyoEnrolment = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: tokyo.id }, actor);
    await drain();
    await smtp.waitFor((m) => m.to.includes(vip.address));
    expect(subjects(vip.address)).toEqual(['Hello']);
    expect(await history(vipEnrolment.id)).toEqual(['0:branch:succeeded', '3:sendEmail:succeeded']);

    const waiting = await ctx.call(getEnrolment, { id: tokyoEnrolment.id }, actor);
    const due = new Date(waiting.nextStepAt as string);
    // Monday 09:00 in Tokyo is Monday 00:00 UTC (no daylight saving there).
    expect([due.getUTCDay(), due.getUTCHours(), due.getUTCMinutes()]).toEqual([1, 0, 0]);
    expect(due.getTime() - Date.now()).toBeLessThanOrEqual(7 * DAY_MS);
  });

  it('a change of the sequence time zone reaches a running enrolment at its next waitUntil', async () => {
    const hello = await template('transactional', 'Hello');
    const sequence = await ctx.call(
      createSequence,
      {
        sequence: {
          name: 'Weekly',
          timeZone: 'Europe/Paris',
          steps: [
            { type: 'wait', days: 1 },
            { type: 'waitUntil', weekdays: ['mon'], hour: 9 },
            { type: 'sendEmail', templateId: hello.id },
          ],
        },
      },
      actor,
    );
    const ola = await customer('Ola');
    const enrolment = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: ola.id }, actor);
    await drain();
    await ctx.call(updateSequence, { id: sequence.id, patch: { timeZone: 'Asia/Tokyo' } }, actor);
    offsetMs = DAY_MS + 60_000;
    await drain();
    const due = new Date((await ctx.call(getEnrolment, { id: enrolment.id }, actor)).nextStepAt as string);
    // Monday 09:00 in Tokyo (00:00 UTC), not in Paris (08:00 UTC).
    expect([due.getUTCDay(), due.getUTCHours()]).toEqual([1, 0]);
  });

  it('creates a task step once, even when its batch is run again (a crash before the batch was recorded)', async () => {
    const sequence = await ctx.call(
      createSequence,
      { sequence: { name: 'Call them', steps: [{ type: 'createTask', title: 'Call after the purchase', dueInDays: 2 }] } },
      actor,
    );
    const pia = await customer('Pia');
    const enrolment = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: pia.id }, actor);
    await drain();
    // As if the process had died after the task and before the batch's record: the step is due again.
    await ctx.database
      .updateTable('sequence_enrolment')
      .set({ status: 'active', next_step: 0, due_at: new Date(), finished_at: null })
      .where('id', '=', enrolment.id)
      .execute();
    await drain();
    const tasks = await ctx.database
      .selectFrom('task')
      .select(['id', 'title'])
      .where('tenant_id', '=', actor.tenantId)
      .where('related_id', '=', pia.id)
      .execute();
    expect(tasks.map((t) => t.title)).toEqual(['Call after the purchase']);
    const history = (await ctx.call(getEnrolment, { id: enrolment.id }, actor)).history.filter((h) => h.type === 'createTask');
    expect(history.map((h) => h.detail['taskId'])).toEqual([tasks[0].id, tasks[0].id]);
  });

  it('checks a definition at save: each bad field named (negative wait, backward goTo, unknown template, unknown time zone)', async () => {
    const thanks = await template('transactional', 'Thanks');
    const create = (steps: unknown[], extra: Record<string, unknown> = {}) =>
      orders.callUnchecked(createSequence, { sequence: { name: 'Bad', steps, ...extra } }, actor) as Promise<unknown>;

    expect(namedFields(await expectOrderError(create([{ type: 'wait', days: -1 }]), 'VALIDATION_FAILED'))).toEqual(['sequence.steps.0.days']);
    const backward = await expectOrderError(
      create([
        { type: 'sendEmail', templateId: thanks.id },
        { type: 'branch', condition: { '==': [1, 1] }, goTo: 1 },
      ]),
      'VALIDATION_FAILED',
    );
    expect(namedFields(backward)).toEqual(['sequence.steps.1.goTo']);
    const unknown = await expectOrderError(create([{ type: 'sendEmail', templateId: randomUUID() }]), 'VALIDATION_FAILED');
    expect(namedFields(unknown)).toEqual(['sequence.steps.0.templateId']);
    const zone = await expectOrderError(create([{ type: 'sendEmail', templateId: thanks.id }], { timeZone: 'Mars/Olympus' }), 'VALIDATION_FAILED');
    expect(namedFields(zone)).toEqual(['sequence.timeZone']);
    // Another tenant's template is as unknown as a missing one.
    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    await expectOrderError(
      ctx.call(createSequence, { sequence: { name: 'Theirs', steps: [{ type: 'sendEmail', templateId: thanks.id }] } }, other),
      'VALIDATION_FAILED',
    );
    await expectOrderError(ctx.call(getSequence, { id: randomUUID() }, actor), 'NOT_FOUND');
  });

  it('another tenant sees neither sequences nor enrolments (roles are checked at the gateway: the e2e test covers them)', async () => {
    const { sequence } = await thankYouThenOffer();
    const hal = await customer('Hal');
    const enrolment = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: hal.id }, actor);
    const other: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['admin'] };
    await expectOrderError(ctx.call(getSequence, { id: sequence.id }, other), 'NOT_FOUND');
    await expectOrderError(ctx.call(getEnrolment, { id: enrolment.id }, other), 'NOT_FOUND');
    await expectOrderError(ctx.call(enrolContact, { sequenceId: sequence.id, contactId: hal.id }, other), 'NOT_FOUND');
    expect((await ctx.call(listEnrolments, { filter: { sequenceId: sequence.id } }, other)).data).toEqual([]);
    expect((await ctx.call(listEnrolments, { filter: { contactId: hal.id } }, actor)).data.map((e) => e.id)).toEqual([enrolment.id]);
  });

  it('an erased contact’s enrolments and history are gone; a merged contact’s move to the survivor', async () => {
    const { sequence } = await thankYouThenOffer();
    const ian = await customer('Ian');
    const erased = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: ian.id }, actor);
    await drain();
    await bus.deliver(
      contactsEnvelope(contactErased, { contactId: ian.id, erasedAt: new Date().toISOString() }, { tenantId: actor.tenantId, subject: ian.id, version: 2 }),
    );
    await expectOrderError(ctx.call(getEnrolment, { id: erased.id }, actor), 'NOT_FOUND');
    const steps = await ctx.database.selectFrom('sequence_enrolment_step').select('step_index').where('enrolment_id', '=', erased.id).execute();
    expect(steps).toHaveLength(0);

    const jo = await customer('Jo');
    const survivor = await customer('Joanna');
    const moved = await ctx.call(enrolContact, { sequenceId: sequence.id, contactId: jo.id }, actor);
    await bus.deliver(
      contactsEnvelope(
        contactMerged,
        { contact: { ...survivor.contact, version: 2 }, mergedId: jo.id },
        { tenantId: actor.tenantId, subject: survivor.id, version: 2 },
      ),
    );
    expect(await ctx.call(getEnrolment, { id: moved.id }, actor)).toMatchObject({ contactId: survivor.id, status: 'active' });
    await drain();
    await smtp.waitFor((m) => m.to.includes(survivor.address));
  });
});
