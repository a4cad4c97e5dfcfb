import type { Contact, ContactInput } from '@crm/contracts';
import { distinctTags, textOrNull, withOnePrimary } from '../shared/primary';
import type { ContactWrite } from './contact.repository';

/**
 * The stored state of a contact: `base` (the current contact, or defaults on create) with the
 * input's fields applied. Arrays replace; exactly one email and one phone are primary when any.
 * Custom fields are checked and merged separately.
 */
export function contactWrite(base: Omit<ContactWrite, 'customFields'>, input: Partial<ContactInput>): Omit<ContactWrite, 'customFields'> {
  return {
    firstName: input.firstName ?? base.firstName,
    lastName: input.lastName !== undefined ? textOrNull(input.lastName) : base.lastName,
    title: input.title !== undefined ? textOrNull(input.title) : base.title,
    emails: input.emails !== undefined ? withOnePrimary(input.emails) : base.emails,
    phones: input.phones !== undefined ? withOnePrimary(input.phones) : base.phones,
    addresses: input.addresses ?? base.addresses,
    companyId: input.companyId !== undefined ? input.companyId : base.companyId,
    ownerId: input.ownerId !== undefined ? input.ownerId : base.ownerId,
    tags: input.tags !== undefined ? distinctTags(input.tags) : base.tags,
    lifecycleStage: input.lifecycleStage ?? base.lifecycleStage,
  };
}

export const NEW_CONTACT: Omit<ContactWrite, 'customFields'> = {
  firstName: '',
  lastName: null,
  title: null,
  emails: [],
  phones: [],
  addresses: [],
  companyId: null,
  ownerId: null,
  tags: [],
  lifecycleStage: 'lead',
};

/** The current contact as the base of an update. */
export function currentWrite(contact: Contact): Omit<ContactWrite, 'customFields'> {
  const { firstName, lastName, title, emails, phones, addresses, companyId, ownerId, tags, lifecycleStage } = contact;
  return { firstName, lastName, title, emails, phones, addresses, companyId, ownerId, tags, lifecycleStage };
}
