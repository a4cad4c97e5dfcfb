import * as contacts from './contacts';
import type { AnyContract } from './define';
import { ContractViolation, parseRequest, parseResponse } from './validation';

describe('contacts contracts', () => {
  const messages = (Object.values(contacts) as unknown[]).filter(
    (value): value is AnyContract => typeof value === 'object' && value !== null && 'kind' in value,
  );

  it('names every message contacts.<entity>.<action>.v1, owned by the contacts service, without duplicates', () => {
    expect(messages.length).toBeGreaterThan(20);
    for (const message of messages) {
      expect(message.service).toBe('contacts');
      expect(message.name).toMatch(/^contacts\.[a-z-]+\.[a-z-]+\.v1$/);
    }
    expect(new Set(messages.map((m) => m.name)).size).toBe(messages.length);
  });

  it('publishes the events the other services rely on', () => {
    const events = messages.filter((m) => m.kind === 'event').map((m) => m.name);
    for (const action of ['created', 'updated', 'merged', 'deleted', 'restored', 'erased']) {
      expect(events).toContain(`contacts.contact.${action}.v1`);
    }
    expect(events).toContain('contacts.interaction.logged.v1');
    expect(events.filter((name) => name.startsWith('contacts.company.')).length).toBeGreaterThanOrEqual(4);
  });

  it('accepts a full contact and refuses two primary emails, a bad stage and a bad custom field key, naming the fields', () => {
    const valid = {
      contact: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        emails: [{ address: 'ada@example.com', primary: true }, { address: 'ada@work.example.com' }],
        phones: [{ number: '+44 20 7946 0000' }],
        tags: ['vip'],
        lifecycleStage: 'lead',
        customFields: { shoe_size: 38 },
      },
    };
    expect(parseRequest(contacts.createContact, valid)).toMatchObject({ contact: { firstName: 'Ada' }, allowDuplicates: false });

    const invalid = {
      contact: {
        firstName: '',
        emails: [
          { address: 'a@example.com', primary: true },
          { address: 'b@example.com', primary: true },
        ],
        lifecycleStage: 'friend',
        customFields: { 'Bad Key': 1 },
      },
    };
    let caught: unknown;
    try {
      parseRequest(contacts.createContact, invalid);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolation);
    const fields = (caught as ContractViolation).issues.map((issue) => issue.path);
    expect(fields).toEqual(expect.arrayContaining(['contact.firstName', 'contact.emails', 'contact.lifecycleStage', 'contact.customFields.Bad Key']));
  });
});

describe('NUL characters', () => {
  it('are refused in any string of any message, naming where (Postgres text cannot hold them)', () => {
    let caught: unknown;
    try {
      parseRequest(contacts.createContact, { contact: { firstName: 'Nul\u0000', tags: ['ok', 'b\u0000d'] } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolation);
    expect((caught as ContractViolation).issues.map((issue) => issue.path)).toEqual(['contact.firstName', 'contact.tags.1']);
    expect(parseRequest(contacts.createContact, { contact: { firstName: 'Plain' } })).toMatchObject({ contact: { firstName: 'Plain' } });
  });
});

describe('unpaired surrogates', () => {
  it('are refused in any string of any message, naming where; paired ones (emoji) pass', () => {
    // What JSON.parse makes of "\uD800" escapes: a lone high surrogate, a lone low one, a pair reversed.
    const payload = JSON.parse('{"contact":{"firstName":"A\\ud800","lastName":"\\udc00z","tags":["ok","\\udc00\\ud800"]}}');
    let caught: unknown;
    try {
      parseRequest(contacts.createContact, payload);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolation);
    const issues = (caught as ContractViolation).issues;
    expect(issues.map((issue) => issue.path)).toEqual(['contact.firstName', 'contact.lastName', 'contact.tags.1']);
    expect(issues[0].message).toMatch(/unpaired UTF-16 surrogate/);
    expect(parseRequest(contacts.createContact, { contact: { firstName: 'Zoë 🙂 東京' } })).toMatchObject({ contact: { firstName: 'Zoë 🙂 東京' } });
  });
});

describe('replies', () => {
  it('are checked against the contract (fields it does not name are dropped, a wrong one is a ContractViolation naming it), without the unstorable-text walk requests get', () => {
    const reply = { id: '00000000-0000-4000-8000-000000000001', erasedAt: '2026-12-04T10:00:00.000Z' };
    expect(parseResponse(contacts.eraseContact, { ...reply, internalColumn: 'x' })).toEqual(reply);
    let caught: unknown;
    try {
      parseResponse(contacts.eraseContact, { ...reply, erasedAt: 'yesterday' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolation);
    expect((caught as ContractViolation).messageName).toBe('contacts.contact.erase.v1 reply');
    expect((caught as ContractViolation).issues.map((issue) => issue.path)).toEqual(['erasedAt']);
  });
});
