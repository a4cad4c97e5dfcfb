import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import {
  contactCreated,
  ContactInput,
  contactInputSchema,
  contactUpdated,
  ExternalItem,
  ExternalItemResult,
  RpcRequest,
  RpcResponse,
  upsertContactsByExternalId,
} from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { contactWrite, currentWrite, NEW_CONTACT } from '../../contacts/contact-input';
import { toContact } from '../../contacts/contact.mapper';
import type { ContactRow, ContactWrite } from '../../contacts/contact.table';
import { IMPORT_TRANSACTION, ImportAdapter } from '../../imports/import-batch';
import { ImportsRepository } from '../../imports/imports.repository';
import { changedFields } from '../../shared/changed-fields';
import { ExternalCustomFields, failedResult, ItemFailure, itemResult, parseRecord, REPEATED, repeatedItems, withoutOwnedFields } from '../external-items';
import { ExternalRecordsRepository } from '../external-records.repository';

const updateSchema = contactInputSchema.partial();

/** An item after its checks: a new contact, a change of a known one, or its failure. */
type Decided =
  | { kind: 'create'; data: ContactWrite; input: Partial<ContactInput> }
  | { kind: 'update'; before: ContactRow; data: ContactWrite; input: Partial<ContactInput>; conflicts: { field: string; incoming: unknown }[] }
  | { kind: 'unchanged'; before: ContactRow; conflicts: { field: string; incoming: unknown }[] }
  | { kind: 'failed'; failure: ItemFailure; id?: string };

/**
 * Contacts by (system, external id), a batch of up to 1,000 in one transaction and a few
 * statements whatever its size: the ids not known yet are claimed (a ref inserted for the contact
 * about to be made), the refs and the known contacts are read and locked at once,
 * each item is checked as the single create or update checks it and fails alone, the new ones are
 * inserted by the import path (one statement per table) with their refs, the changed ones updated
 * in one statement per table, and the events of both go to the outbox in one insert each. An item
 * whose fields equal the stored ones is `unchanged`: nothing written, no event.
 *
 * A ref whose contact was deleted (or merged away and deleted) makes a new contact, and the ref
 * follows it. `companyExternalId` names the company by its external id of the same system.
 * CRM-owned fields are written on create only; on update a different incoming value is a
 * conflict (reported, not applied) and the rest of the record is applied.
 */
@Injectable()
export class UpsertContactsExternalService {
  constructor(
    private readonly repository: ExternalRecordsRepository,
    private readonly imports: ImportsRepository,
    private readonly customFields: ExternalCustomFields,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async upsert(
    tenantId: string,
    { system, crmOwnedFields, items }: RpcRequest<typeof upsertContactsByExternalId>,
  ): Promise<RpcResponse<typeof upsertContactsByExternalId>> {
    const key = { tenantId, object: 'contact', system } as const;
    const repeated = repeatedItems(items);
    // The id each external id's record gets if it is new; the ids not known yet are claimed with it.
    const newIds = new Map(items.map((item) => [item.externalId, randomUUID()]));
    const { claimed, refs } = await this.repository.claimAndLockRefs(
      key,
      [...newIds].map(([externalId, recordId]) => ({ externalId, recordId })),
    );
    const known = await this.repository.lockLiveContacts(tenantId, [...new Set(refs.values())]);
    const companyRefs = await this.repository.refs({ tenantId, object: 'company', system }, companyExternalIds(items));
    const parsed = items.map(
      (item, index): Decided | { kind: 'parsed'; before?: ContactRow; input: Partial<ContactInput>; conflicts: { field: string; incoming: unknown }[] } => {
        if (repeated.has(index)) return { kind: 'failed', failure: REPEATED };
        const recordId = refs.get(item.externalId);
        const before = recordId !== undefined ? known.get(recordId) : undefined;
        const record = withCompanyId(item.record, companyRefs);
        if (record instanceof ItemFailure) return { kind: 'failed', failure: record, id: before?.id };
        const input = parseRecord(before ? updateSchema : contactInputSchema, record);
        if (input instanceof ItemFailure) return { kind: 'failed', failure: input, id: before?.id };
        if (!before) return { kind: 'parsed', input, conflicts: [] };
        const current = currentWrite(toContact(before));
        const owned = withoutOwnedFields(
          input,
          crmOwnedFields,
          (field, incoming) => !isDeepStrictEqual(contactWrite(current, { [field]: incoming }), current),
          before.customFields,
        );
        return { kind: 'parsed', before, ...owned };
      },
    );
    // Companies must be live ones of the tenant, as on a single write (checked for the whole batch at once).
    const companyIds = [
      ...new Set(parsed.flatMap((p) => (p.kind === 'parsed' && p.input.companyId && p.input.companyId !== p.before?.companyId ? [p.input.companyId] : []))),
    ];
    const liveCompanies = await this.imports.liveCompanies(tenantId, companyIds);
    const applyCustomFields = await this.customFields.forBatch(tenantId, 'contact');
    const decided: Decided[] = [];
    for (const [index, p] of parsed.entries()) {
      if (p.kind !== 'parsed') {
        decided.push(p);
        continue;
      }
      const { before, input, conflicts } = p;
      if (input.companyId && input.companyId !== before?.companyId && !liveCompanies.has(input.companyId)) {
        const field = 'companyExternalId' in items[index].record ? 'record.companyExternalId' : 'record.companyId';
        decided.push({ kind: 'failed', failure: ItemFailure.invalid([{ field, message: 'no such company' }]), id: before?.id });
        continue;
      }
      const customFields = await applyCustomFields(input.customFields, before?.customFields as never);
      if (customFields instanceof ItemFailure) {
        decided.push({ kind: 'failed', failure: customFields, id: before?.id });
        continue;
      }
      if (!before) {
        decided.push({ kind: 'create', input, data: { ...contactWrite(NEW_CONTACT, input), customFields } });
        continue;
      }
      const current = { ...currentWrite(toContact(before)), customFields: before.customFields };
      const data = { ...contactWrite(current, input), customFields };
      decided.push(isDeepStrictEqual(data, current) ? { kind: 'unchanged', before, conflicts } : { kind: 'update', before, data, input, conflicts });
    }

    const now = new Date();
    const creates = decided.flatMap((d, index) => (d.kind === 'create' ? [{ index, d }] : []));
    const createdRows = creates.length
      ? await this.imports.insertContacts(
          tenantId,
          creates.map(({ d }) => d.data),
          creates.map(({ index }) => newIds.get(items[index].externalId) as string),
        )
      : [];
    // Claimed refs already point at their new contact; a ref whose contact was gone follows the new one.
    const createdExternalIds = new Set(creates.map(({ index }) => items[index].externalId));
    await this.repository.saveRefs(
      key,
      creates
        .filter(({ index }) => !claimed.has(items[index].externalId))
        .map(({ index }) => ({ externalId: items[index].externalId, recordId: newIds.get(items[index].externalId) as string })),
    );
    await this.repository.dropClaims(
      key,
      [...claimed].filter((externalId) => !createdExternalIds.has(externalId)),
    );
    const updates = decided.flatMap((d, index) => (d.kind === 'update' ? [{ index, d }] : []));
    const updatedRows = await this.repository.updateContacts(
      tenantId,
      updates.map(({ d }) => ({ before: d.before, data: d.data })),
      now,
    );

    const created = createdRows.map(toContact);
    await this.events.publishMany(
      contactCreated,
      created.map((contact) => ({ data: { contact }, meta: { tenantId, subject: contact.id, entityVersion: contact.version } })),
    );
    const updated = updatedRows.map(toContact);
    await this.events.publishMany(
      contactUpdated,
      updated.map((contact, i) => {
        const { before, input } = updates[i].d;
        const changed = changedFields(toContact(before), contact, input);
        return { data: { contact, changed }, meta: { tenantId, subject: contact.id, entityVersion: contact.version } };
      }),
    );

    const ids = new Map<number, string>([
      ...creates.map(({ index }, i) => [index, created[i].id] as const),
      ...updates.map(({ index }, i) => [index, updated[i].id] as const),
    ]);
    const results = decided.map((d, index): ExternalItemResult => {
      const item = items[index];
      switch (d.kind) {
        case 'failed':
          return failedResult(item, d.failure, d.id);
        case 'create':
          return itemResult(item, 'created', { id: ids.get(index) });
        case 'update':
          return itemResult(item, 'updated', { id: ids.get(index), ...(d.conflicts.length && { conflicts: d.conflicts }) });
        case 'unchanged':
          return itemResult(item, 'unchanged', { id: d.before.id, ...(d.conflicts.length && { conflicts: d.conflicts }) });
      }
    });
    return { results };
  }
}

/** The distinct company external ids the records name. */
function companyExternalIds(items: ExternalItem[]): string[] {
  return [...new Set(items.flatMap((i) => (typeof i.record['companyExternalId'] === 'string' ? [i.record['companyExternalId'].trim()] : [])))];
}

/** The record with `companyExternalId` (of the same system) made `companyId`; null unlinks. */
function withCompanyId(record: Record<string, unknown>, companyRefs: Map<string, string>): Record<string, unknown> | ItemFailure {
  if (!('companyExternalId' in record)) return record;
  const { companyExternalId, ...rest } = record;
  const field = 'record.companyExternalId';
  if ('companyId' in rest) return ItemFailure.invalid([{ field, message: 'give companyId or companyExternalId, not both' }]);
  if (companyExternalId === null) return { ...rest, companyId: null };
  if (typeof companyExternalId !== 'string') return ItemFailure.invalid([{ field, message: 'must be a string or null' }]);
  const companyId = companyRefs.get(companyExternalId.trim());
  if (companyId === undefined) return ItemFailure.invalid([{ field, message: 'no such company' }]);
  return { ...rest, companyId };
}
