import { isDeepStrictEqual } from 'node:util';
import type { Contact } from '@crm/contracts';
import { phoneDigits } from '../../shared/text-keys';
import { currentWrite } from '../contact-input';
import { ContactWrite, emailKey } from '../contact.repository';

/**
 * The survivor's state after absorbing `merged`: the survivor's own values win; its empty ones
 * (last name, title, company, owner, custom fields) are filled from the merged contact; emails,
 * phones, addresses and tags the survivor lacks are appended. Primary flags stay the survivor's
 * (the merged contact's only when the survivor had none of that kind).
 */
export function mergedContact(survivor: Contact, merged: Contact, options: { mergedCompanyUsable: boolean }): ContactWrite {
  const base = currentWrite(survivor);
  return {
    ...base,
    lastName: base.lastName ?? merged.lastName,
    title: base.title ?? merged.title,
    companyId: base.companyId ?? (options.mergedCompanyUsable ? merged.companyId : null),
    ownerId: base.ownerId ?? merged.ownerId,
    emails: union(base.emails, merged.emails, (e) => emailKey(e.address)),
    phones: union(base.phones, merged.phones, (p) => phoneDigits(p.number)),
    addresses: [...base.addresses, ...merged.addresses.filter((a) => !base.addresses.some((b) => isDeepStrictEqual(a, b)))],
    tags: [...new Set([...base.tags, ...merged.tags])],
    customFields: { ...withoutNulls(merged.customFields), ...withoutNulls(survivor.customFields) },
  };
}

/** `mine` then those of `theirs` whose key `mine` lacks; theirs lose their primary flag unless mine is empty. */
function union<T extends { primary: boolean }>(mine: T[], theirs: T[], key: (item: T) => string): T[] {
  if (mine.length === 0) return theirs;
  const seen = new Set(mine.map(key));
  const added = theirs.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return [...mine, ...added.map((item) => ({ ...item, primary: false }))];
}

function withoutNulls(values: Contact['customFields']): Contact['customFields'] {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
}
