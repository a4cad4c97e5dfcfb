import { z } from 'zod';
import { defineCommand, defineEvent, defineQuery } from './define';
import {
  externalDeleteRequestSchema,
  externalLookupRequestSchema,
  externalResolveRequestSchema,
  externalResolveResponseSchema,
  externalResultsSchema,
  externalUpsertRequestSchema,
} from './external-records';
import { personal } from './personal-data';

/**
 * Messages of the contacts service: companies, contacts (people), their interaction timeline
 * and the custom fields each tenant defines. Field names are the API's (camelCase); the
 * gateway passes request bodies through and returns replies as they are.
 */

// ---------------------------------------------------------------------------------------------
// Shared pieces

export const LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const INTERACTION_CHANNELS = ['call', 'email', 'meeting', 'chat', 'note'] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];

export const INTERACTION_DIRECTIONS = ['inbound', 'outbound'] as const;

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'select'] as const;
export const CUSTOM_FIELD_ENTITIES = ['contact', 'company'] as const;

const id = z.uuid();
const version = z.number().int().positive();
const timestamp = z.iso.datetime({ offset: true });
const tag = z.string().trim().min(1).max(64);
const tags = z.array(tag).max(50);
const name = (max: number) => z.string().trim().min(1).max(max);

/** A custom field value as stored and sent: text, number, date (ISO date), boolean or a select option. */
export const customFieldValueSchema = z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()]);
/** Values by field key; checked against the tenant's definitions on write. */
export const customFieldValuesSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), customFieldValueSchema);

function atMostOnePrimary<T extends { primary?: boolean }>(items: T[]): boolean {
  return items.filter((item) => item.primary).length <= 1;
}

export const emailSchema = z.object({
  address: z.email().max(320),
  label: z.string().trim().max(32).optional(),
  primary: z.boolean().optional(),
});
export const phoneSchema = z.object({
  // E.164-ish: digits with optional leading +, spaces, dashes, dots and brackets.
  number: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{4,32}$/, 'must be a phone number'),
  label: z.string().trim().max(32).optional(),
  primary: z.boolean().optional(),
});
export const addressSchema = z.object({
  label: z.string().trim().max(32).optional(),
  street: z.string().trim().max(200).optional(),
  city: z.string().trim().max(100).optional(),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().max(20).optional(),
  country: z.string().trim().max(100).optional(),
});

const emails = z.array(emailSchema).max(20).refine(atMostOnePrimary, 'at most one email can be primary');
const phones = z.array(phoneSchema).max(20).refine(atMostOnePrimary, 'at most one phone can be primary');
const addresses = z.array(addressSchema).max(10);

/** Pagination shared by every list: an opaque cursor from the previous page's `nextCursor`. */
export const pageRequestSchema = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------------------------------------
// Companies

export const companyInputSchema = z.object({
  name: name(200),
  domain: z.string().trim().max(253).optional(),
  industry: z.string().trim().max(100).optional(),
  phones: phones.optional(),
  addresses: addresses.optional(),
  ownerId: id.nullable().optional(),
  tags: tags.optional(),
  customFields: customFieldValuesSchema.optional(),
});
export const companySchema = z.object({
  id,
  name: z.string(),
  domain: z.string().nullable(),
  industry: z.string().nullable(),
  phones: z.array(phoneSchema.required({ primary: true })),
  addresses: z.array(addressSchema),
  ownerId: id.nullable(),
  tags: z.array(z.string()),
  customFields: customFieldValuesSchema,
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
  deletedAt: timestamp.nullable(),
});
export type Company = z.infer<typeof companySchema>;

export const companyListFilterSchema = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  tag: tag.optional(),
  ownerId: id.optional(),
  updatedSince: timestamp.optional(),
  includeDeleted: z.boolean().optional(),
});
export const COMPANY_SORTS = ['name', '-name', 'updatedAt', '-updatedAt', 'createdAt', '-createdAt'] as const;

export const createCompany = defineCommand('contacts.company.create', 1, {
  request: z.object({ company: companyInputSchema }),
  response: companySchema,
});
export const getCompany = defineQuery('contacts.company.get', 1, {
  request: z.object({ id }),
  response: companySchema,
});
export const listCompanies = defineQuery('contacts.company.list', 1, {
  request: pageRequestSchema.extend({ filter: companyListFilterSchema.default({}), sort: z.enum(COMPANY_SORTS).default('name') }),
  response: pageOf(companySchema),
});
export const updateCompany = defineCommand('contacts.company.update', 1, {
  request: z.object({ id, expectedVersion: version.optional(), patch: companyInputSchema.partial() }),
  response: companySchema,
});
/** Soft delete: restorable for 30 days, then purged by a daily job (nothing readable is left; no event: other services keep only its id and version). */
export const deleteCompany = defineCommand('contacts.company.delete', 1, {
  request: z.object({ id, expectedVersion: version.optional() }),
  response: companySchema,
});
export const restoreCompany = defineCommand('contacts.company.restore', 1, {
  request: z.object({ id }),
  response: companySchema,
});

// ---------------------------------------------------------------------------------------------
// Contacts

export const contactInputSchema = z.object({
  firstName: name(100),
  lastName: z.string().trim().max(100).optional(),
  title: z.string().trim().max(100).optional(),
  emails: emails.optional(),
  phones: phones.optional(),
  addresses: addresses.optional(),
  companyId: id.nullable().optional(),
  ownerId: id.nullable().optional(),
  tags: tags.optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  customFields: customFieldValuesSchema.optional(),
});
export type ContactInput = z.infer<typeof contactInputSchema>;

/**
 * A contact as replies and events carry it. `personal(...)`: personal data, what a consumer of its
 * events removes once the contact is erased (scrubPersonalData); its id, version and times stay,
 * so an erased contact's events still order and count.
 */
export const contactSchema = z.object({
  id,
  firstName: personal(z.string()),
  lastName: personal(z.string().nullable()),
  title: personal(z.string().nullable()),
  emails: personal(z.array(emailSchema.required({ primary: true }))),
  phones: personal(z.array(phoneSchema.required({ primary: true }))),
  addresses: personal(z.array(addressSchema)),
  // What the contact is to the tenant: analytics drops these of an erased contact too.
  companyId: personal(id.nullable()),
  ownerId: personal(id.nullable()),
  tags: personal(z.array(z.string())),
  lifecycleStage: personal(z.enum(LIFECYCLE_STAGES)),
  customFields: personal(customFieldValuesSchema),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
  deletedAt: timestamp.nullable(),
});
export type Contact = z.infer<typeof contactSchema>;

/** A possible duplicate found on create, and why it matched. */
export const duplicateCandidateSchema = z.object({
  id,
  firstName: z.string(),
  lastName: z.string().nullable(),
  primaryEmail: z.string().nullable(),
  companyId: id.nullable(),
  reasons: z.array(z.enum(['same-email', 'similar-name-same-company', 'similar-name-same-phone'])),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidateSchema>;

export const contactListFilterSchema = z.object({
  /** Full-text, typo-tolerant search over name, email, phone and company name. */
  q: z.string().trim().min(1).max(200).optional(),
  tag: tag.optional(),
  companyId: id.optional(),
  ownerId: id.optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  updatedSince: timestamp.optional(),
  includeDeleted: z.boolean().optional(),
});
export const CONTACT_SORTS = ['lastName', '-lastName', 'updatedAt', '-updatedAt', 'createdAt', '-createdAt'] as const;

/**
 * Create refuses likely duplicates with CONFLICT (details: `{duplicates: DuplicateCandidate[]}`)
 * unless `allowDuplicates` is set.
 */
export const createContact = defineCommand('contacts.contact.create', 1, {
  request: z.object({ contact: contactInputSchema, allowDuplicates: z.boolean().default(false) }),
  response: contactSchema,
});
/** An amount of one currency in integer minor units (cents). */
export const moneyByCurrencySchema = z.object({ currency: z.string(), amountMinor: z.number().int() });
/**
 * A contact as one is read alone: with what the sales service's orders say of them. Lifetime value
 * sums the orders that stand (cancelled and refunded ones count nothing), one entry per currency;
 * last purchase is the latest such order's purchase time.
 */
export const contactDetailSchema = contactSchema.extend({
  lastPurchaseAt: timestamp.nullable(),
  lifetimeValue: z.array(moneyByCurrencySchema),
});
export type ContactDetail = z.infer<typeof contactDetailSchema>;
export const getContact = defineQuery('contacts.contact.get', 1, {
  request: z.object({ id }),
  response: contactDetailSchema,
});
export const listContacts = defineQuery('contacts.contact.list', 1, {
  request: pageRequestSchema.extend({ filter: contactListFilterSchema.default({}), sort: z.enum(CONTACT_SORTS).default('-updatedAt') }),
  response: pageOf(contactSchema),
});
/** PRECONDITION_FAILED when `expectedVersion` (the HTTP If-Match) is not the current version. */
export const updateContact = defineCommand('contacts.contact.update', 1, {
  request: z.object({ id, expectedVersion: version.optional(), patch: contactInputSchema.partial() }),
  response: contactSchema,
});
/**
 * Soft delete: restorable for 30 days, then purged by a daily job: erased for good as by
 * `eraseContact` (with every contact merged into it), and `contacts.contact.erased.v1` published.
 */
export const deleteContact = defineCommand('contacts.contact.delete', 1, {
  request: z.object({ id, expectedVersion: version.optional() }),
  response: contactSchema,
});
export const restoreContact = defineCommand('contacts.contact.restore', 1, {
  request: z.object({ id }),
  response: contactSchema,
});
/** The survivor (`id`) absorbs `mergedId`: its emails, phones, tags and whole timeline; the other is deleted. */
export const mergeContacts = defineCommand('contacts.contact.merge', 1, {
  request: z.object({ id, mergedId: id, expectedVersion: version.optional() }),
  response: contactSchema,
});

export const interactionSchema = z.object({
  id,
  contactId: id,
  channel: z.enum(INTERACTION_CHANNELS),
  direction: z.enum(INTERACTION_DIRECTIONS).nullable(),
  // What was said: personal data (that and how the contact was reached is not).
  subject: personal(z.string().nullable()),
  body: personal(z.string().nullable()),
  occurredAt: timestamp,
  loggedBy: z.string(),
  createdAt: timestamp,
});
export type Interaction = z.infer<typeof interactionSchema>;

/**
 * Personal-data export of one contact (GDPR art. 15/20): everything the service holds about them.
 * A data-subject request: admins and managers only (FORBIDDEN otherwise), each one recorded.
 */
export const exportContact = defineQuery('contacts.contact.export', 1, {
  request: z.object({ id }),
  response: z.object({
    exportedAt: timestamp,
    contact: contactSchema,
    company: companySchema.nullable(),
    interactions: z.array(interactionSchema),
  }),
});
/**
 * Irreversible erasure of a contact's personal data (GDPR art. 17), and of every contact merged
 * into it; other services are told to erase their copies. Recorded as a data-subject request.
 */
export const eraseContact = defineCommand('contacts.contact.erase', 1, {
  request: z.object({ id }),
  response: z.object({ id, erasedAt: timestamp }),
});

export const DATA_SUBJECT_REQUEST_KINDS = ['export', 'erase'] as const;
export const dataSubjectRequestSchema = z.object({
  id,
  kind: z.enum(DATA_SUBJECT_REQUEST_KINDS),
  contactId: id,
  /** The user who asked. */
  requestedBy: z.string(),
  requestedAt: timestamp,
});
export type DataSubjectRequest = z.infer<typeof dataSubjectRequestSchema>;
/** The tenant's exports and erasures, newest first (admins only: FORBIDDEN otherwise). */
export const listDataSubjectRequests = defineQuery('contacts.data-subject-request.list', 1, {
  request: pageRequestSchema,
  response: pageOf(dataSubjectRequestSchema),
});

// ---------------------------------------------------------------------------------------------
// Interaction timeline

export const interactionInputSchema = z.object({
  channel: z.enum(INTERACTION_CHANNELS),
  direction: z.enum(INTERACTION_DIRECTIONS).nullable().optional(),
  subject: z.string().trim().max(500).optional(),
  body: z.string().max(100_000).optional(),
  occurredAt: timestamp.optional(),
});
export const logInteraction = defineCommand('contacts.interaction.log', 1, {
  request: z.object({ contactId: id, interaction: interactionInputSchema }),
  response: interactionSchema,
});
/** A contact's timeline, newest first. */
export const listInteractions = defineQuery('contacts.interaction.list', 1, {
  request: pageRequestSchema.extend({ contactId: id, channel: z.enum(INTERACTION_CHANNELS).optional() }),
  response: pageOf(interactionSchema),
});

// ---------------------------------------------------------------------------------------------
// Activity on a contact's timeline (from the sales service's order and deal events and the
// support service's ticket events)

export const CONTACT_ACTIVITY_KINDS = ['order', 'deal', 'ticket'] as const;
export type ContactActivityKind = (typeof CONTACT_ACTIVITY_KINDS)[number];
/**
 * An order, a deal or a support ticket of the contact as its latest event says: one entry per
 * record (its id is the record's), dated by the purchase (orders) or the record's creation. A
 * ticket has no amount: 0 in no currency ('').
 */
export const contactActivitySchema = z.object({
  id,
  contactId: id,
  kind: z.enum(CONTACT_ACTIVITY_KINDS),
  /** A deal's title; an order's external number (`<system> <id>`) when it has one; a ticket's number and subject (`#1042 Printer jam`). */
  title: z.string().nullable(),
  /** An order's status (placed, paid, shipped, cancelled, refunded), a deal's (open, won, lost) or a ticket's (new, open, pending, on_hold, solved, closed). */
  status: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  occurredAt: timestamp,
  /** The order's or deal's version the entry shows. */
  version,
  updatedAt: timestamp,
});
export type ContactActivity = z.infer<typeof contactActivitySchema>;
/** A contact's orders, deals and tickets, newest first (alongside its interactions). */
export const listContactActivities = defineQuery('contacts.activity.list', 1, {
  request: pageRequestSchema.extend({ contactId: id, kind: z.enum(CONTACT_ACTIVITY_KINDS).optional() }),
  response: pageOf(contactActivitySchema),
});

// ---------------------------------------------------------------------------------------------
// Custom field definitions (per tenant)

export const customFieldDefinitionInputSchema = z.object({
  entity: z.enum(CUSTOM_FIELD_ENTITIES),
  key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and underscores, starting with a letter'),
  label: name(100),
  type: z.enum(CUSTOM_FIELD_TYPES),
  /** The allowed values of a select field. */
  options: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
  required: z.boolean().default(false),
});
export const customFieldDefinitionSchema = customFieldDefinitionInputSchema.extend({
  id,
  options: z.array(z.string()),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type CustomFieldDefinition = z.infer<typeof customFieldDefinitionSchema>;

export const defineCustomField = defineCommand('contacts.custom-field.define', 1, {
  request: z.object({ definition: customFieldDefinitionInputSchema }),
  response: customFieldDefinitionSchema,
});
export const listCustomFields = defineQuery('contacts.custom-field.list', 1, {
  request: z.object({ entity: z.enum(CUSTOM_FIELD_ENTITIES).optional() }),
  response: z.object({ data: z.array(customFieldDefinitionSchema) }),
});
export const updateCustomField = defineCommand('contacts.custom-field.update', 1, {
  request: z.object({
    id,
    expectedVersion: version.optional(),
    // Without the input's default: a patch that leaves `required` out must leave it as it is.
    patch: customFieldDefinitionInputSchema.pick({ label: true, options: true }).extend({ required: z.boolean() }).partial(),
  }),
  response: customFieldDefinitionSchema,
});
export const deleteCustomField = defineCommand('contacts.custom-field.delete', 1, {
  request: z.object({ id }),
  response: z.object({ id }),
});

// ---------------------------------------------------------------------------------------------
// Events. Each carries the entity's state after the change (event-carried state transfer), so
// consumers keep their read models without calling back; `entityversion` in the envelope orders them.

export const contactCreated = defineEvent('contacts.contact.created', 1, z.object({ contact: contactSchema }));
export const contactUpdated = defineEvent('contacts.contact.updated', 1, z.object({ contact: contactSchema, changed: z.array(z.string()) }));
/** `mergedId` no longer exists as such: its timeline and details now belong to `contact` (the survivor). */
export const contactMerged = defineEvent('contacts.contact.merged', 1, z.object({ contact: contactSchema, mergedId: id }));
export const contactDeleted = defineEvent('contacts.contact.deleted', 1, z.object({ contactId: id, deletedAt: timestamp }));
export const contactRestored = defineEvent('contacts.contact.restored', 1, z.object({ contact: contactSchema }));
/**
 * Every service must erase what it holds about this contact (see the rule at the top of this
 * file): one event per erased record, with that record's id as `contactId` and subject, also for
 * each contact merged into the one whose erasure was asked for, and for a soft-deleted contact
 * purged after the restore window.
 */
export const contactErased = defineEvent('contacts.contact.erased', 1, z.object({ contactId: id, erasedAt: timestamp }));

export const companyCreated = defineEvent('contacts.company.created', 1, z.object({ company: companySchema }));
export const companyUpdated = defineEvent('contacts.company.updated', 1, z.object({ company: companySchema, changed: z.array(z.string()) }));
export const companyDeleted = defineEvent('contacts.company.deleted', 1, z.object({ companyId: id, deletedAt: timestamp }));
export const companyRestored = defineEvent('contacts.company.restored', 1, z.object({ company: companySchema }));

/**
 * An address another service met (a support ticket's sender) is this contact: found by the
 * duplicate check's same-email rule, or created for it (`created`). The service that met it links
 * its records (`source`) and the others of the same address to the contact.
 */
export const contactIdentified = defineEvent(
  'contacts.contact.identified',
  1,
  z.object({
    contactId: id,
    email: personal(z.string()),
    created: z.boolean(),
    source: z.object({ service: z.string(), recordId: id }),
  }),
);

/** The body is left out: other services learn that and how a contact was reached, not what was said. */
export const interactionLogged = defineEvent('contacts.interaction.logged', 1, z.object({ interaction: interactionSchema.omit({ body: true }) }));

// ---------------------------------------------------------------------------------------------
// Bulk import (CSV / ERP loads): up to 1,000 records per call, all or nothing. Each record is
// validated as its single create would be and publishes the same event (`*.created`, `*.logged`),
// so other services cannot tell an imported record from a typed-in one. Problems name the item
// (`contacts.3.emails.0.address`). Duplicate detection is NOT applied: an import is a load of
// records the caller already owns elsewhere; clean them up afterwards with duplicates and merge.

/** The caller's own key of a record (ERP id, CSV row number): echoed next to the new id. */
const externalId = z.string().trim().min(1).max(200);
const importBatch = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(1_000);
const importedIds = z.object({ created: z.array(z.object({ externalId: z.string().optional(), id })) });

/** Ids in request order. */
export const importCompanies = defineCommand('contacts.company.import', 1, {
  request: z.object({ companies: importBatch(companyInputSchema.extend({ externalId: externalId.optional() })) }),
  response: importedIds,
});
/** Ids in request order; `companyId` must be a live company of the tenant. No duplicate detection. */
export const importContacts = defineCommand('contacts.contact.import', 1, {
  request: z.object({ contacts: importBatch(contactInputSchema.extend({ externalId: externalId.optional() })) }),
  response: importedIds,
});
/**
 * Past interactions; `occurredAt` defaults to now. The author is the caller: `loggedBy` (a user
 * id) may name another user of the tenant only when the caller is an admin importing history
 * (the gateway checks the user exists); from anyone else, another id is VALIDATION_FAILED
 * naming `interactions.<i>.loggedBy`.
 */
export const importInteractions = defineCommand('contacts.interaction.import', 1, {
  request: z.object({ interactions: importBatch(interactionInputSchema.extend({ contactId: id, loggedBy: id.optional() })) }),
  response: z.object({ created: z.number().int().nonnegative() }),
});

// ---------------------------------------------------------------------------------------------
// Records keyed by an outside system's ids (ERP loads through the integration gateway; shapes in
// ./external-records). Each item is validated as the single create (new) or update (known)
// would be and fails alone; applied set-based per batch; `unchanged` when the incoming fields
// equal what this system last wrote (nothing written, no event). Created and updated records
// publish the same events a typed-in change does.

/** Upserts contacts by (system, external id). `record`: contactInput's fields (companyId may be given as `companyExternalId` of the same system). */
export const upsertContactsByExternalId = defineCommand('contacts.contact.upsert-external', 1, {
  request: externalUpsertRequestSchema,
  response: externalResultsSchema,
});
/** Deletes (soft, as DELETE does) contacts by external id: `deleted`, or `failed` NOT_FOUND. */
export const deleteContactsByExternalId = defineCommand('contacts.contact.delete-external', 1, {
  request: externalDeleteRequestSchema,
  response: externalResultsSchema,
});
/** One contact by its external id (NOT_FOUND when unknown or deleted). */
export const getContactByExternalId = defineQuery('contacts.contact.get-external', 1, {
  request: externalLookupRequestSchema,
  response: contactSchema,
});
/** Contact ids of external ids (an ERP order names its customer by the ERP's id). */
export const resolveContactExternalIds = defineQuery('contacts.contact.resolve-external', 1, {
  request: externalResolveRequestSchema,
  response: externalResolveResponseSchema,
});
export const upsertCompaniesByExternalId = defineCommand('contacts.company.upsert-external', 1, {
  request: externalUpsertRequestSchema,
  response: externalResultsSchema,
});
export const deleteCompaniesByExternalId = defineCommand('contacts.company.delete-external', 1, {
  request: externalDeleteRequestSchema,
  response: externalResultsSchema,
});
export const getCompanyByExternalId = defineQuery('contacts.company.get-external', 1, {
  request: externalLookupRequestSchema,
  response: companySchema,
});
