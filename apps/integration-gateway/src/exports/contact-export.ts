import type { Contact } from '@crm/contracts';
import ICAL from 'ical.js';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { ContactExport as ContactExportTable } from '../generated/kysely/database';

export const EXPORT_FORMATS = ['csv', 'vcard'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_STATES = ['queued', 'in_progress', 'completed', 'failed'] as const;

/** The columns a CSV export may have; a contact's first email, phone and address fill the single ones. */
export const EXPORT_COLUMNS = [
  'id',
  'firstName',
  'lastName',
  'title',
  'email',
  'emails',
  'phone',
  'phones',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'companyId',
  'ownerId',
  'tags',
  'lifecycleStage',
  'version',
  'createdAt',
  'updatedAt',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export const DEFAULT_EXPORT_COLUMNS: ExportColumn[] = [
  'id',
  'firstName',
  'lastName',
  'title',
  'email',
  'phone',
  'companyId',
  'tags',
  'lifecycleStage',
  'updatedAt',
];

export const contactExportSchema = z.object({
  id: z.uuid(),
  format: z.enum(EXPORT_FORMATS),
  columns: z.array(z.enum(EXPORT_COLUMNS)),
  state: z.enum(EXPORT_STATES),
  rowsExported: z.number().int(),
  bytes: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  /** The file is deleted then (it holds personal data). */
  expiresAt: z.string(),
});
export type ContactExportView = z.infer<typeof contactExportSchema>;

export type ContactExportRecord = Selectable<ContactExportTable>;

export function toContactExport(row: ContactExportRecord): ContactExportView {
  return {
    id: row.id,
    format: row.format as ExportFormat,
    columns: row.columns as ExportColumn[],
    state: row.state as ContactExportView['state'],
    rowsExported: row.rows_exported,
    bytes: Number(row.bytes),
    error: row.error,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    expiresAt: row.expires_at.toISOString(),
  };
}

const primaryFirst = <T extends { primary?: boolean }>(items: T[]): T[] => [...items].sort((a, b) => Number(b.primary ?? false) - Number(a.primary ?? false));

/** A contact as a CSV record of `columns` (lists joined with "; "). */
export function csvRecord(contact: Contact, columns: readonly ExportColumn[]): string[] {
  const emails = primaryFirst(contact.emails).map((email) => email.address);
  const phones = primaryFirst(contact.phones).map((phone) => phone.number);
  const address = contact.addresses[0] ?? {};
  const value: Record<ExportColumn, string> = {
    id: contact.id,
    firstName: contact.firstName,
    lastName: contact.lastName ?? '',
    title: contact.title ?? '',
    email: emails[0] ?? '',
    emails: emails.join('; '),
    phone: phones[0] ?? '',
    phones: phones.join('; '),
    street: address.street ?? '',
    city: address.city ?? '',
    region: address.region ?? '',
    postalCode: address.postalCode ?? '',
    country: address.country ?? '',
    companyId: contact.companyId ?? '',
    ownerId: contact.ownerId ?? '',
    tags: contact.tags.join('; '),
    lifecycleStage: contact.lifecycleStage,
    version: String(contact.version),
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
  return columns.map((column) => value[column]);
}

/** A contact as a vCard 4.0 (RFC 6350) with ical.js: UID is the contact's id as a URN. */
export function vcard(contact: Contact): string {
  const card = new ICAL.Component(['vcard', [], []]);
  card.addPropertyWithValue('version', '4.0');
  card.addPropertyWithValue('uid', `urn:uuid:${contact.id}`);
  card.addPropertyWithValue('fn', [contact.firstName, contact.lastName].filter(Boolean).join(' '));
  const name = new ICAL.Property('n', card);
  name.setValue([contact.lastName ?? '', contact.firstName, '', '', ''] as unknown as string);
  card.addProperty(name);
  if (contact.title) card.addPropertyWithValue('title', contact.title);
  for (const email of contact.emails) {
    const property = card.addPropertyWithValue('email', email.address);
    if (email.label) property.setParameter('type', email.label);
    if (email.primary) property.setParameter('pref', '1');
  }
  for (const phone of contact.phones) {
    const property = card.addPropertyWithValue('tel', phone.number);
    if (phone.label) property.setParameter('type', phone.label);
    if (phone.primary) property.setParameter('pref', '1');
  }
  for (const address of contact.addresses) {
    const property = new ICAL.Property('adr', card);
    property.setValue([
      '',
      '',
      address.street ?? '',
      address.city ?? '',
      address.region ?? '',
      address.postalCode ?? '',
      address.country ?? '',
    ] as unknown as string);
    if (address.label) property.setParameter('type', address.label);
    card.addProperty(property);
  }
  if (contact.tags.length > 0) {
    const categories = new ICAL.Property('categories', card);
    categories.setValues(contact.tags);
    card.addProperty(categories);
  }
  card.addProperty(new ICAL.Property(['rev', {}, 'timestamp', new Date(contact.updatedAt).toISOString().replace(/\.\d+Z$/, 'Z')], card));
  return `${card.toString()}\r\n`;
}
