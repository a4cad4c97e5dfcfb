import { randomUUID } from 'node:crypto';
import { Insertable, Kysely, sql, Updateable } from 'kysely';
import { purchaseSummaryOfContact } from '../activities/purchase-summary';
import type { ContactEmail, ContactPhone, DB } from '../generated/kysely/database';
import { phoneDigits, textKey } from '../shared/text-keys';

/**
 * The contact table module: its columns, the projection every read selects (row -> ContactRow)
 * and the values every write inserts or sets, for the single writes (ContactRepository) and the
 * bulk ones (imports) alike. The one place a contact column is named.
 */

/** A contact's whole stored state as the service decides it; derived keys are computed here. */
export interface ContactWrite {
  firstName: string;
  lastName: string | null;
  title: string | null;
  emails: { address: string; label?: string; primary: boolean }[];
  phones: { number: string; label?: string; primary: boolean }[];
  addresses: object[];
  companyId: string | null;
  ownerId: string | null;
  tags: string[];
  lifecycleStage: string;
  customFields: Record<string, unknown>;
}

/** An email as stored: a contact_email row, and the same in contact.email_list (camelCase), in position order. */
export interface StoredEmail {
  id: string;
  tenantId: string;
  contactId: string;
  position: number;
  address: string;
  addressKey: string;
  label: string | null;
  primary: boolean;
}

/** A phone as stored: a contact_phone row, and the same in contact.phone_list. */
export interface StoredPhone {
  id: string;
  tenantId: string;
  contactId: string;
  position: number;
  number: string;
  digits: string;
  label: string | null;
  primary: boolean;
}

/**
 * What a contact read selects from `contact c`: what toContact, lookups and list cursors need.
 * The merge link is erasure's business only; JSON columns are typed as the service writes them.
 */
export const contactProjection = [
  'c.id',
  'c.tenant_id as tenantId',
  'c.first_name as firstName',
  'c.last_name as lastName',
  'c.sort_last_name as sortLastName',
  'c.title',
  sql.ref<object[]>('c.addresses').as('addresses'),
  'c.company_id as companyId',
  'c.owner_id as ownerId',
  'c.tags',
  'c.lifecycle_stage as lifecycleStage',
  sql.ref<Record<string, unknown>>('c.custom_fields').as('customFields'),
  'c.version',
  'c.created_at as createdAt',
  'c.updated_at as updatedAt',
  'c.deleted_at as deletedAt',
  'c.erased_at as erasedAt',
  sql.ref<StoredEmail[]>('c.email_list').as('emails'),
  sql.ref<StoredPhone[]>('c.phone_list').as('phones'),
] as const;

/**
 * `contact c` as the contract's JSON text (toContact's shape, key for key), for lists handed on
 * without being read here (JsonReply): the contract_json column, kept by a trigger on every write
 * (prisma/schema-extras.sql). Reading each row into JS, mapping it and checking the page against
 * the contract took more than half of the service's CPU per page; building the JSON per read in
 * Postgres, three quarters of the page's Postgres CPU (0.41 ms against 0.11 for 25 rows at 100,000
 * contacts). contact.table.spec holds it to toContact on the database, after every kind of write.
 */
export const contactJson = sql<string>`c.contract_json`.as('json');

/**
 * `contact c`'s detail (the GET) as the contract's JSON text: its contract_json with the purchase
 * summary (`lastPurchaseAt`, `lifetimeValue`) of its orders appended, read in the same statement.
 */
export const contactDetailJson =
  sql<string>`left(c.contract_json, -1) || ',' || substr((SELECT row_to_json(p)::text FROM ${purchaseSummaryOfContact} p), 2)`.as('json');

/** What a list page reads of a contact: its keys (id and the sort columns, for the cursor) and its JSON. */
export const contactListProjection = [
  'c.id',
  'c.sort_last_name as sortLastName',
  'c.created_at as createdAt',
  'c.updated_at as updatedAt',
  contactJson,
] as const;

/** Contacts with the projection selected: the start of every contact read. */
export const selectContacts = (db: Kysely<DB>) => db.selectFrom('contact as c').select(contactProjection);

/** A contact as the service reads it (contactProjection). */
export type ContactRow = Awaited<ReturnType<ReturnType<typeof selectContacts>['executeTakeFirstOrThrow']>>;

/** Lower-cased: how addresses are compared (duplicates, search). */
export const emailKey = (address: string) => address.trim().toLowerCase();

/** A contact's emails and phones as the rows they are stored as, in position order (new ids). */
export function childRows(
  tenantId: string,
  contactId: string,
  data: Pick<ContactWrite, 'emails' | 'phones'>,
): { emails: StoredEmail[]; phones: StoredPhone[] } {
  return {
    emails: data.emails.map((e, position) => ({
      id: randomUUID(),
      tenantId,
      contactId,
      position,
      address: e.address,
      addressKey: emailKey(e.address),
      label: e.label ?? null,
      primary: e.primary,
    })),
    phones: data.phones.map((p, position) => ({
      id: randomUUID(),
      tenantId,
      contactId,
      position,
      number: p.number,
      digits: phoneDigits(p.number),
      label: p.label ?? null,
      primary: p.primary,
    })),
  };
}

/** JSON columns are written as JSON text (pg would write a JS array as a Postgres array). */
const json = (value: unknown) => JSON.stringify(value);

/** The columns a write of `data` sets (with its children's lists), the same on insert and update. */
export function contactValues(data: ContactWrite, children: { emails: StoredEmail[]; phones: StoredPhone[] }) {
  return {
    first_name: data.firstName,
    last_name: data.lastName,
    sort_last_name: textKey(data.lastName),
    title: data.title,
    addresses: json(data.addresses),
    company_id: data.companyId,
    owner_id: data.ownerId,
    tags: data.tags,
    lifecycle_stage: data.lifecycleStage,
    custom_fields: json(data.customFields),
    email_list: json(children.emails),
    phone_list: json(children.phones),
  } satisfies Updateable<DB['contact']>;
}

/** What an update sets besides the version and time: the state (contactValues) or the deletion mark. */
export type ContactUpdate = ReturnType<typeof contactValues> | { deleted_at: Date | null };

/** Sets `fields` with the next version, if `version` is still current and the contact not erased (one row updated, else none). */
export function updateContact(db: Kysely<DB>, at: { tenantId: string; id: string; version: number }, fields: ContactUpdate) {
  return db
    .updateTable('contact')
    .set((eb) => ({ ...fields, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', at.id)
    .where('tenant_id', '=', at.tenantId)
    .where('version', '=', at.version)
    .where('erased_at', 'is', null);
}

/** A new contact's columns, as contactInsert sets them (ContactRepository's prepared insert takes them in this order). */
export const NEW_CONTACT_COLUMNS = [
  'id',
  'tenant_id',
  'created_at',
  'updated_at',
  'version',
  'first_name',
  'last_name',
  'sort_last_name',
  'title',
  'addresses',
  'company_id',
  'owner_id',
  'tags',
  'lifecycle_stage',
  'custom_fields',
  'email_list',
  'phone_list',
] as const satisfies (keyof Insertable<DB['contact']>)[];

/** A new contact's row. */
export function contactInsert(
  row: { id: string; tenantId: string; createdAt: Date },
  data: ContactWrite,
  children: { emails: StoredEmail[]; phones: StoredPhone[] },
): Insertable<DB['contact']> {
  return { id: row.id, tenant_id: row.tenantId, created_at: row.createdAt, updated_at: row.createdAt, version: 1, ...contactValues(data, children) };
}

/** The row a read of a contact just inserted by contactInsert would give (a create and an import answer it without reading back). */
export function newContactRow(
  row: { id: string; tenantId: string; createdAt: Date },
  data: ContactWrite,
  children: { emails: StoredEmail[]; phones: StoredPhone[] },
): ContactRow {
  const { id, tenantId, createdAt: now } = row;
  return {
    id,
    tenantId,
    firstName: data.firstName,
    lastName: data.lastName,
    sortLastName: textKey(data.lastName),
    title: data.title,
    addresses: data.addresses,
    companyId: data.companyId,
    ownerId: data.ownerId,
    tags: data.tags,
    lifecycleStage: data.lifecycleStage,
    customFields: data.customFields,
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    erasedAt: null,
    ...children,
  };
}

export const EMAIL_COLUMNS = [
  'id',
  'tenant_id',
  'contact_id',
  'position',
  'address',
  'address_key',
  'label',
  'primary',
] as const satisfies (keyof ContactEmail)[];
export const PHONE_COLUMNS = ['id', 'tenant_id', 'contact_id', 'position', 'number', 'digits', 'label', 'primary'] as const satisfies (keyof ContactPhone)[];

/**
 * Emails as the rows to insert into EMAIL_COLUMNS, of one contact or many (an import batch): one
 * JSON parameter, so that the statement's text is the same for any number of them (prepared once).
 * Anything but a list (a prepared statement's slot for that text) is the parameter as is.
 */
export function emailRows(emails: StoredEmail[] | string) {
  return sql<Insertable<ContactEmail>>`SELECT e.id, e."tenantId", e."contactId", e.position, e.address, e."addressKey", e.label, e."primary"
    FROM jsonb_to_recordset(${asJson(emails)}::jsonb) AS e(id uuid, "tenantId" text, "contactId" uuid, position int, address text, "addressKey" text, label text, "primary" boolean)`;
}

/** Phones as the rows to insert into PHONE_COLUMNS (see emailRows). */
export function phoneRows(phones: StoredPhone[] | string) {
  return sql<Insertable<ContactPhone>>`SELECT p.id, p."tenantId", p."contactId", p.position, p.number, p.digits, p.label, p."primary"
    FROM jsonb_to_recordset(${asJson(phones)}::jsonb) AS p(id uuid, "tenantId" text, "contactId" uuid, position int, number text, digits text, label text, "primary" boolean)`;
}

const asJson = (rows: unknown[] | string) => (Array.isArray(rows) ? json(rows) : rows);

/** Normalised names, email addresses and phone digits, space-separated: what a contact's search words are made of. */
export function contactSearchText(data: { firstName: string; lastName: string | null; emails: { address: string }[]; phones: { number: string }[] }): string {
  return [textKey(data.firstName), textKey(data.lastName), ...data.emails.map((e) => emailKey(e.address)), ...data.phones.map((p) => phoneDigits(p.number))]
    .filter(Boolean)
    .join(' ');
}
