import { z } from 'zod';
import { defineCommand, defineEvent } from './define';
import { eventEnvelopeSchema } from './envelope';
import { ContractViolation, parseEnvelope, parseEventData, parseRequest } from './validation';

describe('message contracts', () => {
  const created = defineEvent('contacts.contact.created', 1, z.object({ id: z.uuid(), name: z.string().min(1) }));

  it('names every message with its service and version', () => {
    expect(created).toMatchObject({ kind: 'event', name: 'contacts.contact.created.v1', service: 'contacts', version: 1 });
    expect(defineCommand('contacts.contact.create', 2, { request: z.object({}), response: z.object({}) }).name).toBe('contacts.contact.create.v2');
  });

  it('refuses names without a service, entity and action, or with a bad version', () => {
    expect(() => defineEvent('contacts', 1, z.object({}))).toThrow(/invalid message name/);
    expect(() => defineEvent('Contacts.Contact.Created', 1, z.object({}))).toThrow(/invalid message name/);
    expect(() => defineEvent('contacts.contact.created', 0, z.object({}))).toThrow(/positive integer/);
  });

  it('validates data against the contract and names every bad field', () => {
    expect(parseEventData(created, { id: '0b7e9b0c-8d8f-4c43-9f55-4b1f0c8a3a11', name: 'Ada' })).toEqual({
      id: '0b7e9b0c-8d8f-4c43-9f55-4b1f0c8a3a11',
      name: 'Ada',
    });
    const error = (() => {
      try {
        parseEventData(created, { id: 'nope', name: '' });
      } catch (e) {
        return e as ContractViolation;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ContractViolation);
    expect(error?.issues.map((i) => i.path).sort()).toEqual(['id', 'name']);
  });

  it('accepts a CloudEvents 1.0 envelope and rejects one with a missing tenant or an unversioned type', () => {
    const envelope = {
      specversion: '1.0',
      id: '0b7e9b0c-8d8f-4c43-9f55-4b1f0c8a3a11',
      source: 'crm/contacts',
      type: 'contacts.contact.created.v1',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      tenantid: 't1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: {},
    };
    expect(parseEnvelope(envelope).type).toBe('contacts.contact.created.v1');
    expect(eventEnvelopeSchema.safeParse({ ...envelope, tenantid: undefined }).success).toBe(false);
    expect(() => parseEnvelope({ ...envelope, type: 'contacts.contact.created' })).toThrow(ContractViolation);
  });

  it('validates command requests the same way', () => {
    const create = defineCommand('contacts.contact.create', 1, { request: z.object({ name: z.string() }), response: z.object({}) });
    expect(() => parseRequest(create, { name: 3 })).toThrow(/name/);
  });
});
