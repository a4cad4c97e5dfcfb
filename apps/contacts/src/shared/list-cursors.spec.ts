import { createHmac } from 'node:crypto';
import { Actor, listCompanies, listContacts, listInteractions, logInteraction } from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { ContactsTestContext, failedPaths } from '../testing/contacts-test-context';

type Page = { data: { id: string }[]; nextCursor: string | null };

/** What a client can do to a cursor: every list of the service must refuse it with 400 naming `cursor`. */
describe('list cursors over the bus: tampered, forged, truncated or foreign cursors are VALIDATION_FAILED', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;
  let contactId: string;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
    actor = ctx.newActor();
    for (let i = 0; i < 3; i++) await ctx.newCompany(actor, { name: `Cursor Co ${i}` });
    const contacts = [];
    for (let i = 0; i < 3; i++) contacts.push(await ctx.newContact(actor, { lastName: `Cursorson${i}` }));
    contactId = contacts[0].id;
    for (let i = 0; i < 3; i++) {
      await ctx.call(
        logInteraction,
        {
          contactId,
          interaction: {
            channel: 'note',
            occurredAt: new Date(Date.UTC(2026, 0, 10 + i)).toISOString(),
          },
        },
        actor,
      );
    }
  });
  afterAll(() => ctx?.close());

  /** Each keyset list with a request for its first page, and another sort of it (when it has one). */
  const lists: Record<
    string,
    {
      page: (cursor?: string, otherSort?: boolean) => Promise<Page>;
      timeSorted: boolean;
    }
  > = {
    'contacts by -updatedAt': {
      page: (cursor, other) => ctx.call(listContacts, { sort: other ? '-createdAt' : '-updatedAt', limit: 1, cursor }, actor),
      timeSorted: true,
    },
    'contacts by lastName': {
      page: (cursor, other) => ctx.call(listContacts, { sort: other ? '-lastName' : 'lastName', limit: 1, cursor }, actor),
      timeSorted: false,
    },
    'contacts by relevance': {
      page: (cursor, other) =>
        ctx.call(
          listContacts,
          {
            filter: { q: other ? 'cursorson1' : 'cursorson' },
            limit: 1,
            cursor,
          },
          actor,
        ),
      timeSorted: false,
    },
    'companies by name': {
      page: (cursor, other) => ctx.call(listCompanies, { sort: other ? '-name' : 'name', limit: 1, cursor }, actor),
      timeSorted: false,
    },
    'companies by -createdAt': {
      page: (cursor, other) => ctx.call(listCompanies, { sort: other ? 'createdAt' : '-createdAt', limit: 1, cursor }, actor),
      timeSorted: true,
    },
    'interactions (newest first)': {
      // A timeline has one order: another list's cursor (a contacts one) stands for "another sort".
      page: (cursor, other) =>
        other ? ctx.call(listContacts, { limit: 1, cursor }, actor) : ctx.call(listInteractions, { contactId, limit: 1, cursor }, actor),
      timeSorted: true,
    },
  };

  const decode = (cursor: string) => JSON.parse(Buffer.from(cursor.split('.')[0], 'base64url').toString('utf8')) as unknown[];
  const encode = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
  /** The cursor with its payload changed and its signature (if any) kept. */
  const tamper = (cursor: string, change: (parts: unknown[]) => unknown[]) => {
    const signature = cursor.split('.')[1];
    const payload = encode(change(decode(cursor)));
    return signature === undefined ? payload : `${payload}.${signature}`;
  };

  async function expectBadCursor(call: Promise<unknown>): Promise<void> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteError);
    expect({
      code: (error as RemoteError).code,
      paths: failedPaths(error as RemoteError),
    }).toEqual({ code: 'VALIDATION_FAILED', paths: ['cursor'] });
  }

  describe.each(Object.keys(lists))('%s', (name) => {
    const list = () => lists[name];
    let valid: string;

    beforeAll(async () => {
      valid = (await list().page()).nextCursor as string;
      expect(valid).toEqual(expect.any(String));
    });

    it('pages on with a valid cursor, without repeating a row', async () => {
      const first = await list().page();
      const second = await list().page(valid);
      expect(second.data).toHaveLength(1);
      expect(second.data[0].id).not.toBe(first.data[0].id);
    });

    it('refuses 36 hyphens as the id', () => expectBadCursor(list().page(tamper(valid, ([s, k]) => [s, k, '-'.repeat(36)]))));

    it('refuses a key that is not of the sort’s type (a date that does not exist, or a number)', async () => {
      if (list().timeSorted) {
        await expectBadCursor(list().page(tamper(valid, ([s, , id]) => [s, '2024-02-30T00:00:00.000Z', id])));
        await expectBadCursor(list().page(tamper(valid, ([s, , id]) => [s, '2024-01-01T25:00:00.000Z', id])));
      } else {
        await expectBadCursor(list().page(tamper(valid, ([s, , id]) => [s, { $gt: 1 }, id])));
      }
    });

    it('refuses a well-formed cursor that the service did not sign (forged)', async () => {
      const parts = decode(valid);
      await expectBadCursor(list().page(encode(parts)));
      const payload = encode(parts);
      await expectBadCursor(list().page(`${payload}.${createHmac('sha256', 'not the secret').update(payload).digest('base64url')}`));
    });

    it('refuses a valid cursor with its payload changed but its signature kept (tampered)', async () => {
      const [s, k, id] = decode(valid);
      const otherId = String(id).replace(/^./, (c) => (c === '0' ? '1' : '0'));
      await expectBadCursor(list().page(tamper(valid, () => [s, k, otherId])));
    });

    it('refuses a truncated cursor and garbage', async () => {
      await expectBadCursor(list().page(valid.slice(0, -4)));
      await expectBadCursor(list().page(valid.slice(0, 10)));
      await expectBadCursor(list().page('%%%'));
    });

    it('refuses the cursor of another sort', () => expectBadCursor(list().page(valid, true)));
  });
});
