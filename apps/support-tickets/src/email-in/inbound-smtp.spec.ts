import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor, addTicketMessage, defineMailbox, getTicket } from '@crm/contracts';
import { SmtpCatcher } from '@crm/testing';
import { mimeFixture } from '../testing/mime-fixtures';
import { SupportTicketsTestContext } from '../testing/support-tickets-test-context';
import { InboundSmtpServer } from './inbound-smtp.server';

/** swaks (Debian's `swaks`; .ci/run installs it): exit code and the whole dialogue. */
function swaks(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) =>
    execFile('swaks', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('swaks is not installed: apt-get install -y swaks'));
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, output: `${stdout}${stderr}` });
    }),
  );
}

/**
 * Over real SMTP: swaks delivers to the service's listener (a new ticket, then the customer's reply
 * threaded into it), and the agent's public reply reaches the customer's SMTP server with
 * Message-ID, In-Reply-To and References that make one conversation. Refusals are SMTP replies,
 * and the listener keeps taking mail after them.
 */
describe('inbound SMTP listener (swaks) and replies out by SMTP', () => {
  let ctx: SupportTicketsTestContext;
  let customer: SmtpCatcher;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'swaks-'));
  const actor: Actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['support'] };

  beforeAll(async () => {
    customer = await SmtpCatcher.start();
    ctx = await SupportTicketsTestContext.start({ SUPPORT_TICKETS_SMTP_URL: customer.url, SUPPORT_TICKETS_MAIL_POLL_MS: '200' });
    await ctx.call(defineMailbox, { address: 'support@acme.example' }, actor);
    port = ctx.service.app.get(InboundSmtpServer).port as number;
  });
  afterAll(async () => {
    await ctx?.close();
    await customer?.close();
  });

  const file = (name: string, content: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const send = (to: string, data: string) => swaks(['--server', '127.0.0.1', '--port', String(port), '--from', 'jane@customer.example', '--to', to, '--data', `@${data}`]);

  it('a new ticket, the agent reply threaded to the customer, and the customer reply threaded into the ticket', async () => {
    const opening = await send('support@acme.example', file('plain.eml', mimeFixture('plain.eml')));
    expect(opening.code).toBe(0);
    const number = Number(opening.output.match(/250 2\.0\.0 created: ticket #(\d+)/)?.[1]);
    expect(number).toBeGreaterThan(0);
    const { id } = await ctx.database.selectFrom('ticket').select('id').where('tenant_id', '=', actor.tenantId).where('number', '=', number).executeTakeFirstOrThrow();

    await ctx.call(addTicketMessage, { id, message: { kind: 'public', body: 'The parcel is with the courier and arrives tomorrow.' } }, actor);
    const { parsed: reply, to } = await customer.waitFor((mail) => mail.to.includes('jane@customer.example'));
    expect(to).toEqual(['jane@customer.example']);
    expect(reply.from?.value[0].address).toBe('support@acme.example');
    expect(reply.subject).toBe(`Re: [#${number}] Order 4711 has not arrived`);
    expect(reply.inReplyTo).toBe('<CAJ7plain0001@mail.customer.example>');
    expect([reply.references].flat()).toEqual(['<CAJ7plain0001@mail.customer.example>']);
    expect(reply.messageId).toMatch(/^<[0-9a-f-]{36}@acme\.example>$/);
    const replyTo = reply.replyTo?.value[0].address as string;
    expect(replyTo).toMatch(/^support\+[0-9a-f]{20}@acme\.example$/);
    expect(reply.text).toContain('The parcel is with the courier');
    expect(reply.headers.get('x-loop')).toBe('crm-support-tickets');

    const answer = mimeFixture('gmail-reply.eml', { number, replyTo, lastMessageId: reply.messageId as string, firstMessageId: '<CAJ7plain0001@mail.customer.example>' });
    const threaded = await send(replyTo, file('reply.eml', answer));
    expect(threaded.output).toContain(`250 2.0.0 replied: ticket #${number}`);
    const thread = await ctx.call(getTicket, { id }, actor);
    expect(thread.messages.map((m) => m.authorType)).toEqual(['customer', 'agent', 'customer']);
    expect(thread.messages[2].body).toBe('It arrived this morning, thank you! You can close this.');
  });

  it('refuses an unknown recipient at RCPT (550), a 15 MB message (552) and one without a sender (554), and keeps taking mail', async () => {
    const unknown = await send('nobody@acme.example', file('u.eml', mimeFixture('plain.eml')));
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toMatch(/550 5\.1\.1 <nobody@acme\.example>: No such mailbox here/);

    const big = Buffer.concat([mimeFixture('attachments.eml').subarray(0, 400), Buffer.from('\r\n'), Buffer.alloc(15 * 1024 * 1024, 'A'), Buffer.from('\r\n')]);
    const tooLarge = await send('support@acme.example', file('big.eml', big));
    expect(tooLarge.code).not.toBe(0);
    expect(tooLarge.output).toMatch(/552 5\.3\.4/);

    const noSender = await send('support@acme.example', file('ns.eml', mimeFixture('malformed-no-sender.eml')));
    expect(noSender.output).toMatch(/554 5\.6\.0 The message has no sender/);

    const after = await send('support@acme.example', file('after.eml', mimeFixture('html-only.eml')));
    expect(after.output).toMatch(/250 2\.0\.0 created: ticket #\d+/);
  });
});
