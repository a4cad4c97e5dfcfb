import { decodeCursor, encodeCursor } from './cursor';

const id = '0b7f4c1e-0000-4000-8000-000000000001';
const raw = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

describe('list cursors', () => {
  it('round-trips a cursor of each kind of sort', () => {
    for (const [sort, key] of [['-updatedAt', '2026-11-23T10:00:00.000Z'], ['lastName', 'smith'], ['relevance:jon', '1.2345']] as const) {
      expect(decodeCursor(encodeCursor({ sort, key, id }), sort)).toEqual({ sort, key, id });
    }
  });

  it.each([
    ['a time sort with a key that is not a time', '-updatedAt', ['-updatedAt', 'not-a-date', id]],
    ['a relevance sort with a key that is not a number', 'relevance:jon', ['relevance:jon', 'abc', id]],
    ['a text sort with a number', 'lastName', ['lastName', 7, id]],
    ['another sort', 'lastName', ['-updatedAt', '2026-11-23T10:00:00.000Z', id]],
    ['an id that is not a uuid', 'lastName', ['lastName', 'smith', 'x']],
  ])('refuses %s as a bad cursor, naming the field', (_case, sort, parts) => {
    expect(() => decodeCursor(raw(parts), sort)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('refuses something that is not a cursor at all', () => {
    expect(() => decodeCursor('%%%not-base64', 'lastName')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
