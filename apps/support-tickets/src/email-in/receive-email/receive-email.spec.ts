import { randomUUID } from 'node:crypto';
import { Actor, addTicketMessage, defineMailbox, getTicket, receiveEmail, ticketCreated, ticketMessageAdded, updateTicket } from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { OutgoingEmailRepository } from '../../email-out/outgoing-email.repository';
import { freshMimeFixture } from '../../testing/mime-fixtures';
import { IDLE_MAIL_SENDER, SupportTicketsTestContext } from '../../testing/support-tickets-test-context';
import { ReceiveEmailService } from './receive-email.service';

/**
 * The MIME corpus through the raw-message command against a real database and broker: each message
 * becomes the right ticket, reply, note or refusal; threading by headers, reply-to token and subject
 * number; the agent's reply queued with threading headers.
 */
describe('receive email', () => {
  let ctx: SupportTicketsTestContext;
  const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };
  const groupId = randomUUID();

  beforeAll(async () => {
    // The outgoing sender stays idle here (nothing listens on port 9): this file checks what is queued.
    ctx = await SupportTicketsTestContext.start(IDLE_MAIL_SENDER);
    await ctx.call(defineMailbox, { address: 'Support@Acme.example', groupId }, actor);
  });
  afterAll(() => ctx?.close());

  const receive = (raw: Buffer, as: Actor = actor) => ctx.call(receiveEmail, { raw: raw.toString('base64') }, as);
  const ticket = (id: string) => ctx.call(getTicket, { id }, actor);
  const outgoing = (ticketId: string) => ctx.service.app.get(OutgoingEmailRepository).byTicket(actor.tenantId, ticketId);
  /** A fixture with its Message-ID made unique, so each test's messages are new ones. */
  const fresh = freshMimeFixture;

  it.each([
    ['plain.eml', 'Order 4711 has not arrived', 'jane@customer.example', 'order 4711 has still not arrived', 0],
    ['html-only.eml', 'Invoice address wrong', 'tom@becker.example', 'Hauptstraße 5', 0],
    ['alternative-inline-image.eml', 'Broken part, photo attached', 'maria@rossi.example', 'The hinge arrived broken', 1],
    ['attachments.eml', 'Contract and usage export', 'li.wei@wei.example', 'signed contract', 2],
    ['iso-8859-1.eml', 'Commande non reçue', 'francois@levesque.example', 'arrivée. Merci de vérifier', 0],
    ['shift-jis.eml', '配送について', 'tanaka@tanaka.example', '注文番号 4711 の配送状況', 0],
    ['rfc2047-subject.eml', 'Rückerstattung für Bestellung № 42 (dringend)', 'juergen@mueller.example', 'Rückerstattung', 0],
    ['forwarded.eml', 'Fwd: Damaged delivery', 'peter@partner.example', 'two cups are broken', 0],
    ['malformed-headers.eml', 'Login fails', 'bob@stone.example', 'I cannot log in', 0],
  ])('%s opens a ticket in the mailbox group with the sender, subject, text and attachments', async (file, subject, sender, text, attachments) => {
    const result = await receive(fresh(file));
    expect(result).toMatchObject({ outcome: 'created', reason: null });
    const made = await ticket(result.ticketId as string);
    expect(made).toMatchObject({ subject, requesterEmail: sender, channel: 'email', status: 'new', groupId });
    expect(made.messages).toHaveLength(1);
    expect(made.messages[0]).toMatchObject({ kind: 'public', authorType: 'customer' });
    expect(made.messages[0].body).toContain(text);
    expect(made.messages[0].attachments).toHaveLength(attachments);
    const events = await ctx.database.selectFrom('outbox_message').select('type').where('subject', '=', made.id).execute();
    expect(events.map((e) => e.type)).toEqual([ticketCreated.name]);
  });

  it('threads the conversation: the agent reply is queued with threading headers; the Gmail reply joins by In-Reply-To, the Outlook one by [#number]', async () => {
    const opened = await receive(fresh('plain.eml'));
    const first = await ticket(opened.ticketId as string);
    const customerMessageId = (await ctx.database.selectFrom('ticket_message').select('email_message_id').where('ticket_id', '=', first.id).executeTakeFirstOrThrow()).email_message_id;

    await ctx.call(addTicketMessage, { id: first.id, message: { kind: 'public', body: 'The parcel is with the courier.' } }, actor);
    await ctx.call(addTicketMessage, { id: first.id, message: { kind: 'internal', body: 'Carrier says Thursday.' } }, actor);
    const [queued, ...more] = await outgoing(first.id);
    expect(more).toEqual([]);
    expect(queued).toMatchObject({
      to_address: 'jane@customer.example',
      from_address: 'support@acme.example',
      subject: `Re: [#${first.number}] Order 4711 has not arrived`,
      in_reply_to: customerMessageId,
      references: [customerMessageId],
      status: 'pending',
    });
    expect(queued.reply_to).toMatch(/^support\+[0-9a-f]{20}@acme\.example$/);
    expect(queued.email_message_id).toMatch(/^<[0-9a-f-]{36}@acme\.example>$/);
    expect(queued.body).toContain('The parcel is with the courier.');

    const gmail = await receive(
      fresh('gmail-reply.eml', { number: first.number, replyTo: queued.reply_to as string, lastMessageId: queued.email_message_id, firstMessageId: customerMessageId as string }),
    );
    expect(gmail).toMatchObject({ outcome: 'replied', ticketId: first.id, number: first.number });
    const outlook = await receive(fresh('outlook-reply.eml', { number: first.number }));
    expect(outlook).toMatchObject({ outcome: 'replied', ticketId: first.id });

    const thread = await ticket(first.id);
    expect(thread.messages.map((m) => [m.authorType, m.kind, m.body.split('\n')[0]])).toEqual([
      ['customer', 'public', 'Hello,'],
      ['agent', 'public', 'The parcel is with the courier.'],
      ['agent', 'internal', 'Carrier says Thursday.'],
      ['customer', 'public', 'It arrived this morning, thank you! You can close this.'],
      ['customer', 'public', 'Sorry, one more thing: the invoice is missing from the parcel.'],
    ]);
    const types = await ctx.database.selectFrom('outbox_message').select('type').where('subject', '=', first.id).orderBy('seq').execute();
    expect(types.map((t) => t.type)).toEqual([ticketCreated.name, ...Array(4).fill(ticketMessageAdded.name)]);
  });

  it('the reply-to token threads a reply whose headers were lost; a [#number] from someone else is a new ticket', async () => {
    const first = await ticket((await receive(fresh('plain.eml'))).ticketId as string);
    const token = (await ctx.database.selectFrom('ticket').select('reply_token').where('id', '=', first.id).executeTakeFirstOrThrow()).reply_token;
    const byToken = fresh('gmail-reply.eml', { number: 999_999, replyTo: `support+${token}@acme.example`, lastMessageId: '<lost@x.example>', firstMessageId: '<lost2@x.example>' });
    expect(await receive(byToken)).toMatchObject({ outcome: 'replied', ticketId: first.id });

    const stranger = Buffer.from(fresh('outlook-reply.eml', { number: first.number }).toString('latin1').replace('From: Jane Doe <jane@customer.example>', 'From: Eve <eve@evil.example>'), 'latin1');
    const elsewhere = await receive(stranger);
    expect(elsewhere.outcome).toBe('created');
    expect(elsewhere.ticketId).not.toBe(first.id);
  });

  it('a reply reopens a solved ticket; a reply to a closed ticket is a new ticket', async () => {
    const first = await ticket((await receive(fresh('plain.eml'))).ticketId as string);
    await ctx.call(updateTicket, { id: first.id, patch: { status: 'solved' } }, actor);
    expect((await receive(fresh('outlook-reply.eml', { number: first.number }))).outcome).toBe('replied');
    expect(await ticket(first.id)).toMatchObject({ status: 'open', solvedAt: null });

    await ctx.call(updateTicket, { id: first.id, patch: { status: 'closed' } }, actor);
    const followUp = await receive(fresh('outlook-reply.eml', { number: first.number }));
    expect(followUp.outcome).toBe('created');
    expect(followUp.ticketId).not.toBe(first.id);
    expect((await ticket(first.id)).messages).toHaveLength(2);
  });

  it('an out-of-office reply is ignored; a bounce of a reply is noted on its ticket; a bounce of nothing is ignored', async () => {
    const first = await ticket((await receive(fresh('plain.eml'))).ticketId as string);
    await ctx.call(addTicketMessage, { id: first.id, message: { kind: 'public', body: 'On its way.' } }, actor);
    const [sent] = await outgoing(first.id);

    expect(await receive(fresh('auto-reply.eml', { number: first.number, lastMessageId: sent.email_message_id }))).toEqual({ outcome: 'ignored', ticketId: null, number: null, reason: 'auto-reply' });
    expect(await receive(fresh('bounce-dsn.eml', { number: first.number, lastMessageId: sent.email_message_id }))).toMatchObject({ outcome: 'noted', ticketId: first.id, reason: 'bounce' });
    expect(await receive(fresh('bounce-dsn.eml', { number: first.number, lastMessageId: '<never-sent@acme.example>' }))).toMatchObject({ outcome: 'ignored', reason: 'bounce' });

    const thread = await ticket(first.id);
    expect(thread.messages.at(-1)).toMatchObject({ kind: 'internal', authorType: 'system' });
    expect(thread.messages.at(-1)?.body).toContain('Delivery of a reply to jane@customer.example failed (status 5.1.1)');
    expect(thread.status).toBe('open');
  });

  it('the same message twice is applied once; mail from our own mailbox or carrying our X-Loop is a loop', async () => {
    const raw = fresh('plain.eml');
    const first = await receive(raw);
    expect(await receive(raw)).toEqual({ ...first, outcome: 'duplicate' });
    expect((await ticket(first.ticketId as string)).messages).toHaveLength(1);
    // Idempotent by Message-ID (appliedOnceBy): no command-inbox transaction, unlike other commands.
    const inbox = await ctx.database.selectFrom('command_inbox').select('type').execute();
    expect(inbox.map((r) => r.type)).toContain(defineMailbox.name);
    expect(inbox.map((r) => r.type)).not.toContain(receiveEmail.name);

    const own = Buffer.from(fresh('plain.eml').toString('latin1').replace('From: Jane Doe <jane@customer.example>', 'From: <support+abc@acme.example>'), 'latin1');
    expect(await receive(own)).toMatchObject({ outcome: 'ignored', reason: 'loop' });
    const looped = Buffer.from(fresh('plain.eml').toString('latin1').replace('MIME-Version', 'X-Loop: crm-support-tickets\r\nMIME-Version'), 'latin1');
    expect(await receive(looped)).toMatchObject({ outcome: 'ignored', reason: 'loop' });
  });

  it('refuses, naming raw: no sender, a recipient that is no mailbox of the caller; a 15 MB message before parsing', async () => {
    const refusal = async (call: Promise<unknown>) => {
      const error = (await call.then(() => undefined, (e: unknown) => e)) as RemoteError;
      expect(error).toBeInstanceOf(RemoteError);
      expect(error.code).toBe('VALIDATION_FAILED');
      return (error.details as { errors: { field: string; code: string }[] }).errors;
    };
    expect(await refusal(receive(fresh('malformed-no-sender.eml')))).toEqual([expect.objectContaining({ field: 'raw', code: 'NO_SENDER' })]);
    const otherTenant: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    expect(await refusal(receive(fresh('plain.eml'), otherTenant))).toEqual([expect.objectContaining({ field: 'raw', code: 'UNKNOWN_MAILBOX' })]);

    const huge = Buffer.concat([fresh('plain.eml'), Buffer.alloc(15 * 1024 * 1024, 'a')]);
    await expect(ctx.service.app.get(ReceiveEmailService).receive(huge)).rejects.toMatchObject({ code: 'EMAIL_TOO_LARGE' });
  });
});
