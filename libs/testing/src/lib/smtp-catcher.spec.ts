import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { mailIn, SmtpCatcher } from './smtp-catcher';

describe('SmtpCatcher', () => {
  let catcher: SmtpCatcher;
  const directory = mkdtempSync(join(tmpdir(), 'smtp-catcher-'));

  beforeAll(async () => {
    catcher = await SmtpCatcher.start({ directory });
  });

  afterAll(async () => {
    await catcher?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const send = (subject: string) =>
    nodemailer
      .createTransport({ url: catcher.url } as never)
      .sendMail({ from: 'CRM <crm@example.test>', to: 'ada@example.test', subject, text: 'Hello', html: '<p>Hello</p>', messageId: `<${subject}@example.test>` });

  it('keeps what a real SMTP client sends, parsed, and in its directory for other processes', async () => {
    await send('first');

    const mail = await catcher.waitFor((m) => m.parsed.subject === 'first');
    expect(mail).toMatchObject({ from: 'crm@example.test', to: ['ada@example.test'], messageId: '<first@example.test>' });
    expect(mail.parsed.text?.trim()).toBe('Hello');
    expect(catcher.to('ADA@example.test')).toHaveLength(1);
    const stored = await mailIn(directory);
    expect(stored.map((m) => [m.parsed.subject, m.to])).toEqual([['first', ['ada@example.test']]]);
  });

  it('refuses with the code it is given, as a failing server does', async () => {
    catcher.refuseWith = 451;
    await expect(send('refused')).rejects.toMatchObject({ responseCode: 451 });
    catcher.refuseWith = undefined;
    await send('accepted again');
    expect(catcher.messages.map((m) => m.parsed.subject)).toEqual(['first', 'accepted again']);
  });
});
