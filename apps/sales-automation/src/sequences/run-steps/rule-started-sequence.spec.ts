import { randomUUID } from 'node:crypto';
import { Actor, contactCreated, createEmailTemplate, createSequence, createWorkflowRule, getEnrolment, listEnrolments, setEmailConsent } from '@crm/contracts';
import { SmtpCatcher } from '@crm/testing';
import { ContactEventsPublisher, contactsEnvelope } from '../../testing/contact-events';
import { contactOf } from '../../testing/contact-reference-builders';
import { OrderBuilders } from '../../testing/order-builders';
import { SalesAutomationTestContext } from '../../testing/sales-automation-test-context';
import { orderRecordedStartsSequence } from '../../workflow-rules/testing/rule-builders';

/**
 * The runner as deployed (its poll on): a rule on `order.recorded` enrols the contact inside the
 * event's inbox transaction, and the runner sends the first step by itself. A nudge made inside that
 * transaction once carried it into every later poll ("Transaction already closed": nothing sent).
 */
/** Reads until `done` holds (at most 10 s) and answers the last read: the caller asserts on it. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('a rule-started sequence, with the runner polling', () => {
  let ctx: SalesAutomationTestContext;
  let smtp: SmtpCatcher;
  let bus: ContactEventsPublisher;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    ctx = await SalesAutomationTestContext.start({ env: { SALES_AUTOMATION_SMTP_URL: smtp.url, SALES_AUTOMATION_SEQUENCE_POLL_MS: '200' } });
    bus = await ContactEventsPublisher.for(ctx);
  });
  afterAll(async () => {
    await bus?.close();
    await ctx?.close();
    await smtp?.close();
  });

  it('sends the first step of each enrolment a rule starts, one purchase after another, and exits on the second purchase', async () => {
    const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['admin'] };
    const address = `ada-${randomUUID()}@example.com`;
    const contact = contactOf({ firstName: 'Ada', emails: [{ address, primary: true }] });
    await bus.deliver(contactsEnvelope(contactCreated, { contact }, { tenantId: actor.tenantId, subject: contact.id, version: 1 }));
    await ctx.call(setEmailConsent, { contactId: contact.id, status: 'subscribed', source: 'form' }, actor);
    const thanks = await ctx.call(
      createEmailTemplate,
      { template: { name: 'Thanks', purpose: 'transactional', subject: 'Thanks', html: '<p>Thanks</p>' } },
      actor,
    );
    const sequence = await ctx.call(
      createSequence,
      {
        sequence: {
          name: 'After a purchase',
          steps: [
            { type: 'sendEmail', templateId: thanks.id },
            { type: 'wait', days: 21 },
          ],
        },
      },
      actor,
    );
    await ctx.call(createWorkflowRule, { rule: orderRecordedStartsSequence(sequence.id) }, actor);
    const orders = new OrderBuilders(ctx);

    const first = await orders.newOrder(actor, { contactId: contact.id });
    await smtp.waitFor((m) => m.to.includes(address));
    // The batch records its steps after its mail went out: read until it has.
    const [enrolment] = await until(
      async () => (await ctx.call(listEnrolments, { filter: { contactId: contact.id } }, actor)).data,
      (list) => list[0]?.nextStep === 2,
    );
    expect(enrolment).toMatchObject({ status: 'active', nextStep: 2, source: { kind: 'rule' } });

    // The second purchase first ends the enrolment the first began (exits run before the rules), then the rule starts another.
    await orders.newOrder(actor, { contactId: contact.id });
    await smtp.waitFor(() => smtp.messages.filter((m) => m.to.includes(address)).length === 2);
    expect(await ctx.call(getEnrolment, { id: enrolment.id }, actor)).toMatchObject({ status: 'exited', exitReason: 'purchased' });
    const all = await until(
      async () => (await ctx.call(listEnrolments, { filter: { contactId: contact.id } }, actor)).data,
      (list) => list.some((e) => e.nextStep === 2 && e.id !== enrolment.id),
    );
    expect(all.map((e) => e.status).sort()).toEqual(['active', 'exited']);
    expect(first.contactId).toBe(contact.id);
  });
});
