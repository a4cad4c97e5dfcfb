import { mimeFixture } from '../testing/mime-fixtures';
import { InboundEmailRefused } from './inbound-email';
import { parseInboundEmail } from './parse-inbound-email';

const limits = { maxBytes: 10 * 1024 * 1024, maxAttachments: 20 };
const fixture = mimeFixture;
const parse = (name: string, values?: Record<string, string>) => parseInboundEmail(fixture(name, values), limits);

describe('parseInboundEmail: the MIME corpus', () => {
  it('plain text: sender, recipients, subject, Message-ID and body', async () => {
    const mail = await parse('plain.eml');
    expect(mail).toMatchObject({
      messageId: '<CAJ7plain0001@mail.customer.example>',
      from: { address: 'jane@customer.example', name: 'Jane Doe' },
      recipients: ['support@acme.example'],
      subject: 'Order 4711 has not arrived',
      kind: 'normal',
      answers: [],
      attachments: [],
    });
    expect(mail.text).toContain('order 4711 has still not arrived');
  });

  it('HTML only: text made from the HTML, styles dropped, entities decoded', async () => {
    const mail = await parse('html-only.eml');
    expect(mail.text).toContain('the address on invoice INV-88 is wrong');
    expect(mail.text).toContain('Hauptstraße 5');
    expect(mail.text).not.toMatch(/color:red|<p>/);
  });

  it('multipart/alternative with an inline image: the plain part, the image kept as inline with its Content-ID', async () => {
    const mail = await parse('alternative-inline-image.eml');
    expect(mail.text).toBe('The hinge arrived broken, see the photo.');
    expect(mail.attachments).toEqual([expect.objectContaining({ filename: 'hinge.png', contentType: 'image/png', inline: true, contentId: 'photo1@rossi.example' })]);
  });

  it('attachments: each file with its name, type, size and bytes', async () => {
    const mail = await parse('attachments.eml');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.inline])).toEqual([
      ['contract.pdf', 'application/pdf', false],
      ['usage.csv', 'text/csv', false],
    ]);
    expect(mail.attachments[0].content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(mail.attachments[1].size).toBe(mail.attachments[1].content.length);
  });

  it('ISO-8859-1 body and RFC 2047 Q-encoded name and subject', async () => {
    const mail = await parse('iso-8859-1.eml');
    expect(mail.subject).toBe('Commande non reçue');
    expect(mail.from.name).toBe('François Lévesque');
    expect(mail.text).toContain('arrivée. Merci de vérifier');
  });

  it('Shift_JIS body and B-encoded subject', async () => {
    const mail = await parse('shift-jis.eml');
    expect(mail.subject).toBe('配送について');
    expect(mail.from.name).toBe('田中太郎');
    expect(mail.text).toContain('注文番号 4711 の配送状況を教えてください');
  });

  it('RFC 2047: encoded words of two charsets and both encodings in one subject', async () => {
    const mail = await parse('rfc2047-subject.eml');
    expect(mail.subject).toBe('Rückerstattung für Bestellung № 42 (dringend)');
    expect(mail.from.name).toBe('Jürgen Müller');
  });

  it('Gmail reply: answers In-Reply-To first, then References newest first; the quote is not new text', async () => {
    const mail = await parse('gmail-reply.eml', { lastMessageId: '<b@acme.example>', firstMessageId: '<a@customer.example>', number: '7', replyTo: 'support+tok@acme.example' });
    expect(mail.answers).toEqual(['<b@acme.example>', '<a@customer.example>']);
    expect(mail.newText).toBe('It arrived this morning, thank you! You can close this.');
    expect(mail.recipients).toContain('support+tok@acme.example');
  });

  it('Outlook reply: the "-----Original Message-----" block is not new text', async () => {
    const mail = await parse('outlook-reply.eml', { number: '7' });
    expect(mail.subject).toBe('RE: [#7] Order 4711 has not arrived');
    expect(mail.answers).toEqual([]);
    expect(mail.newText).toBe('Sorry, one more thing: the invoice is missing from the parcel.\n\nJane');
  });

  it('a forwarded message keeps the forwarded text (a new ticket needs it)', async () => {
    const mail = await parse('forwarded.eml');
    expect(mail.text).toContain('The box was crushed and two cups are broken.');
    expect(mail.kind).toBe('normal');
  });

  it('a delivery status notification is a bounce naming the failed message, recipient and status', async () => {
    const mail = await parse('bounce-dsn.eml', { number: '7', lastMessageId: '<out-1@acme.example>' });
    expect(mail.kind).toBe('bounce');
    expect(mail.bounce).toEqual({ originalMessageId: '<out-1@acme.example>', recipient: 'jane@customer.example', status: '5.1.1' });
    expect(mail.attachments).toEqual([]);
  });

  it('an out-of-office reply is an auto-reply', async () => {
    expect((await parse('auto-reply.eml', { number: '7', lastMessageId: '<x@acme.example>' })).kind).toBe('auto-reply');
  });

  it.each([
    ['Precedence: bulk', 'auto-reply'],
    ['List-Id: <news.shop.example>', 'auto-reply'],
    ['Auto-Submitted: no', 'normal'],
  ])('%s makes it %s', async (header, kind) => {
    const raw = Buffer.from(`From: a@b.example\r\nTo: support@acme.example\r\nSubject: hi\r\n${header}\r\n\r\nbody\r\n`);
    expect((await parseInboundEmail(raw, limits)).kind).toBe(kind);
  });

  it('malformed headers are read as far as they go: sender, subject and body survive; a missing Message-ID is made up stably', async () => {
    const mail = await parse('malformed-headers.eml');
    expect(mail).toMatchObject({ from: { address: 'bob@stone.example' }, subject: 'Login fails', kind: 'normal' });
    expect(mail.text).toContain('I cannot log in since yesterday.');
    expect(mail.messageId).toBe((await parse('malformed-headers.eml')).messageId);
  });

  it('refuses a message without a readable sender', async () => {
    await expect(parse('malformed-no-sender.eml')).rejects.toMatchObject({ code: 'NO_SENDER' });
  });

  it('refuses a 15 MB message over the 10 MB limit before parsing it', async () => {
    const raw = Buffer.concat([fixture('plain.eml'), Buffer.alloc(15 * 1024 * 1024, 'a')]);
    const refusal = await parseInboundEmail(raw, limits).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(InboundEmailRefused);
    expect(refusal).toMatchObject({ code: 'EMAIL_TOO_LARGE' });
  });

  it('refuses more attachments than the limit', async () => {
    await expect(parseInboundEmail(fixture('attachments.eml'), { ...limits, maxAttachments: 1 })).rejects.toMatchObject({ code: 'TOO_MANY_ATTACHMENTS' });
  });
});
