import { z } from 'zod';
import { contactCreated, contactDeleted, contactErased, contactMerged, contactSchema, contactUpdated, interactionLogged } from './contacts';
import { defineEvent, EventContract } from './define';
import { personal, personalDataPaths, scrubPersonalData } from './personal-data';

const id = '0b7e9b0c-8d8f-4c43-9f55-4b1f0c8a3a11';
const at = '2026-01-01T00:00:00.000Z';
const contact = {
  id,
  firstName: 'Ada',
  lastName: 'Lovelace',
  title: 'Countess',
  emails: [{ address: 'ada@example.com', primary: true }],
  phones: [{ number: '+44 20 7946 0000', primary: true }],
  addresses: [{ city: 'London' }],
  companyId: id,
  ownerId: id,
  tags: ['vip'],
  lifecycleStage: 'lead' as const,
  customFields: { note: 'likes engines' },
  version: 3,
  createdAt: at,
  updatedAt: at,
  deletedAt: null,
};

describe('personal data marks', () => {
  it('scrubs a contact event down to what is not personal: id, version and times', () => {
    const data = { contact, changed: ['firstName'] };
    expect(scrubPersonalData(contactUpdated, data)).toEqual({
      contact: { id, version: 3, createdAt: at, updatedAt: at, deletedAt: null },
      changed: ['firstName'],
    });
    // A copy: the event itself is left as it was.
    expect(data.contact.firstName).toBe('Ada');
  });

  it('keeps that and how an interaction happened, not what was said', () => {
    const interaction = {
      id,
      contactId: id,
      channel: 'call' as const,
      direction: null,
      subject: 'secret plans',
      occurredAt: at,
      loggedBy: 'u1',
      createdAt: at,
    };
    const { subject: _subject, ...rest } = interaction;
    expect(scrubPersonalData(interactionLogged, { interaction })).toEqual({ interaction: rest });
  });

  it('leaves events without personal data as they are', () => {
    expect(scrubPersonalData(contactDeleted, { contactId: id, deletedAt: at })).toEqual({ contactId: id, deletedAt: at });
    expect(personalDataPaths(contactErased)).toEqual([]);
  });

  it('lists the marked fields of each contract', () => {
    expect(personalDataPaths(contactMerged)).toEqual([
      'contact.firstName',
      'contact.lastName',
      'contact.title',
      'contact.emails',
      'contact.phones',
      'contact.addresses',
      'contact.companyId',
      'contact.ownerId',
      'contact.tags',
      'contact.lifecycleStage',
      'contact.customFields',
    ]);
    expect(personalDataPaths(interactionLogged)).toEqual(['interaction.subject']);
  });

  it('scrubs a field newly marked in a contract, wherever it sits, with nothing else to change', () => {
    const extended = defineEvent(
      'contacts.contact.created',
      2,
      z.object({
        contact: contactSchema.extend({ nickname: personal(z.string()).optional() }),
        notes: z.array(z.object({ at: z.string(), text: personal(z.string()) })),
      }),
    );
    const scrubbed = scrubPersonalData(extended, { contact: { ...contact, nickname: 'Enchantress' }, notes: [{ at, text: 'met at a ball' }] });
    expect(JSON.stringify(scrubbed)).not.toMatch(/Enchantress|met at a ball|Ada/);
    expect(scrubbed).toMatchObject({ contact: { id, version: 3 }, notes: [{ at }] });
  });

  it('marks a copy: the schema it was given stays unmarked elsewhere', () => {
    const shared = z.string();
    const contract: EventContract = defineEvent('contacts.note.added', 1, z.object({ a: personal(shared), b: shared }));
    expect(personalDataPaths(contract)).toEqual(['a']);
    expect(scrubPersonalData(contactCreated, { contact })).not.toHaveProperty('contact.emails');
  });
});
