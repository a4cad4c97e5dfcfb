import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Contact, contactCreated, contactSchema, defineEvent, EventContract, interactionLogged, personal } from '@crm/contracts';
import { PROJECTIONS } from '../projection/projections';
import { scrubbed, withoutPersonalData } from './personal-data';
import type { LoggedEvent } from './logged-event';

const at = '2026-01-01T00:00:00.000Z';
const id = randomUUID();
const contact: Contact = {
  id,
  firstName: 'Ada',
  lastName: 'Lovelace',
  title: 'Countess',
  emails: [{ address: 'ada@example.com', primary: true }],
  phones: [{ number: '+44 20 7946 0000', primary: true }],
  addresses: [{ city: 'London' }],
  companyId: null,
  ownerId: null,
  tags: ['vip'],
  lifecycleStage: 'lead',
  customFields: { note: 'likes engines' },
  version: 2,
  createdAt: at,
  updatedAt: at,
  deletedAt: null,
};
const PERSONAL = /Ada|Lovelace|Countess|ada@example|7946|London|vip|engines|secret plans|Enchantress/;

const logged = (contract: EventContract, data: Record<string, unknown>): LoggedEvent => ({
  eventId: randomUUID(),
  tenantId: 't1',
  type: contract.name,
  subject: id,
  entityId: id,
  contactId: id,
  entityVersion: 2,
  occurredAt: new Date(at),
  data,
  scrubbed: false,
});

describe("the event log's scrubbing", () => {
  it('removes what the contracts mark personal from every consumed event, and keeps ids, versions and times', () => {
    expect(PROJECTIONS.map((p) => p.contract.name)).toContain(contactCreated.name);
    const event = scrubbed(logged(contactCreated, { contact }));
    expect(event).toMatchObject({ scrubbed: true, data: { contact: { id, version: 2, createdAt: at } } });
    expect(JSON.stringify(event.data)).not.toMatch(PERSONAL);
    const interaction = { id, contactId: id, channel: 'call', direction: null, subject: 'secret plans', occurredAt: at, loggedBy: 'u1', createdAt: at };
    const call = scrubbed(logged(interactionLogged, { interaction }));
    expect(call.data).toEqual({ interaction: { id, contactId: id, channel: 'call', direction: null, occurredAt: at, loggedBy: 'u1', createdAt: at } });
  });

  it('scrubs a field a contract newly marks personal, with nothing changed in analytics', () => {
    // As if contacts.contact.created gained a nickname, marked personal in libs/contracts.
    const withNickname = defineEvent(
      contactCreated.type,
      contactCreated.version,
      z.object({ contact: contactSchema.extend({ nickname: personal(z.string()) }) }),
    );
    const data = withoutPersonalData(withNickname, { contact: { ...contact, nickname: 'Enchantress' } });
    expect(JSON.stringify(data)).not.toMatch(PERSONAL);
    expect(data).toMatchObject({ contact: { id, version: 2 } });
  });
});
