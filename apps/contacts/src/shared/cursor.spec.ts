import type { AppConfig } from '../app.config';
import { CursorCodec } from './cursor';

const id = '0b7f4c1e-0000-4000-8000-000000000001';
const codec = new CursorCodec({
  CONTACTS_CURSOR_SECRET: 'a test secret of at least thirty-two characters',
} as AppConfig);
const other = new CursorCodec({
  CONTACTS_CURSOR_SECRET: 'another secret of at least thirty-two characters',
} as AppConfig);

describe('list cursors', () => {
  it('round-trips a cursor of each kind of sort', () => {
    for (const [sort, key] of [
      ['-updatedAt', '2026-11-23T10:00:00.000Z'],
      ['lastName', 'smith'],
      ['relevance:jon', '1.2345'],
    ] as const) {
      expect(codec.decode(codec.encode({ sort, key, id }), sort)).toEqual({
        sort,
        key,
        id,
      });
    }
  });

  // Signed by the service itself, so only the full check of the content stops them.
  it.each([
    ['a time sort with a key that is not a time', '-updatedAt', 'not-a-date', id],
    ['a time sort with a date that does not exist', '-updatedAt', '2024-02-30T00:00:00.000Z', id],
    ['a time sort with an hour that does not exist', '-occurredAt', '2024-02-01T24:00:00.000Z', id],
    ['a time sort with a date only', '-updatedAt', '2024-02-01', id],
    ['a relevance sort with a key that is not a number', 'relevance:jon', 'abc', id],
    ['a text sort with a number', 'lastName', 7, id],
    ['an id that is not a uuid', 'lastName', 'smith', 'x'],
    ['36 hyphens as the id', 'lastName', 'smith', '-'.repeat(36)],
  ])('refuses %s as a bad cursor, naming the field', (_case, sort, key, cursorId) => {
    const cursor = codec.encode({ sort, key, id: cursorId });
    expect(() => codec.decode(cursor, sort)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: { errors: [expect.objectContaining({ field: 'cursor' })] },
      }),
    );
  });

  it('refuses the cursor of another sort', () => {
    expect(() =>
      codec.decode(
        codec.encode({
          sort: '-updatedAt',
          key: '2026-11-23T10:00:00.000Z',
          id,
        }),
        'lastName',
      ),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('refuses a cursor signed with another secret, an unsigned one and a truncated one', () => {
    const good = codec.encode({ sort: 'lastName', key: 'smith', id });
    for (const bad of [other.encode({ sort: 'lastName', key: 'smith', id }), good.split('.')[0], good.slice(0, -1), `${good}.x`]) {
      expect(() => codec.decode(bad, 'lastName')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });

  it('refuses something that is not a cursor at all', () => {
    expect(() => codec.decode('%%%not-base64', 'lastName')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
