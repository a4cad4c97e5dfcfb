import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import {
  contactCreated,
  ContactInput,
  contactInputSchema,
  contactUpdated,
  DomainError,
  ExternalItem,
  ExternalItemResult,
  externalIdSchema,
  RpcRequest,
  RpcResponse,
  upsertContactsByExternalId,
} from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { contactWrite, currentWrite, NEW_CONTACT } from '../../contacts/contact-input';
import { toContact } from '../../contacts/contact.mapper';
import { ContactRepository, ContactWrite } from '../../contacts/contact.repository';
import { CustomFieldValuesValidator } from '../../custom-fields/custom-field-values.validator';
import { IMPORT_TRANSACTION, ImportAdapter } from '../../imports/import-batch';
import { ImportCustomFields } from '../../imports/import-custom-fields';
import { ImportsRepository } from '../../imports/imports.repository';
import { changedFields } from '../../shared/changed-fields';
import { ExternalRefRepository } from '../external-ref.repository';
import { failed, fieldError, invalidRecord, itemIssues, outcome, REPEATED, repeatedInBatch } from '../external-items';

const patchSchema = contactInputSchema.partial();
type ContactPatch = Partial<ContactInput>;

interface ParsedItem {
  index: number;
  item: ExternalItem;
  patch: ContactPatch;
  companyExternalId?: string;
}

/**
 * Contacts by (system, external id), a batch of up to 1,000 in one transaction, set-based where it
 * counts: one statement resolves every external id, the new records go in with the import path's
 * bulk inserts (one per table) and one outbox insert, and known records whose fields are as stored
 * cost nothing more (`unchanged`: no write, no event). Known records that change are updated one
 * by one by the single update's own repository call (five statements each; the set-based update is
 * the next cut). Each item succeeds or fails alone.
 */
@Injectable()
export class UpsertContactsExternalService {
  constructor(
    private readonly refs: ExternalRefRepository,
    private readonly imports: ImportsRepository,
    private readonly contacts: ContactRepository,
    private readonly customFields: ImportCustomFields,
    private readonly fieldValidator: CustomFieldValuesValidator,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async upsert(tenantId: string, { system, crmOwnedFields, items }: RpcRequest<typeof upsertContactsByExternalId>): Promise<RpcResponse<typeof upsertContactsByExternalId>> {
    const results: ExternalItemResult[] = new Array(items.length);
    const repeated = repeatedInBatch(items);
    const parsed: ParsedItem[] = [];
    items.forEach((item, index) => {
      if (repeated.has(index)) return void (results[index] = failed(item, REPEATED(item.externalId)));
      const { companyExternalId, ...fields } = item.record;
      const patch = patchSchema.safeParse(fields);
      if (!patch.success) return void (results[index] = failed(item, invalidRecord(patch.error)));
      if (companyExternalId !== undefined) {
        const key = externalIdSchema.safeParse(companyExternalId);
        if (!key.success) return void (results[index] = failed(item, fieldError('record.companyExternalId', 'must be a company external id (text)')));
        parsed.push({ index, item, patch: patch.data, companyExternalId: key.data });
      } else parsed.push({ index, item, patch: patch.data });
    });

    await this.linkCompanies(tenantId, system, parsed, results);
    const live = parsed.filter((p) => results[p.index] === undefined);
    const known = await this.refs.resolve(tenantId, 'contact', system, live.map((p) => p.item.externalId));
    const fresh = live.filter((p) => !known.get(p.item.externalId)?.live);
    const raced = await this.create(tenantId, system, fresh, known, results);
    const again = raced.length ? await this.refs.resolve(tenantId, 'contact', system, raced.map((p) => p.item.externalId)) : new Map();
    const existing = [...live.filter((p) => known.get(p.item.externalId)?.live), ...raced];
    const ids = new Map(existing.map((p) => [p.index, (known.get(p.item.externalId)?.live ? known : again).get(p.item.externalId)!.recordId]));
    await this.update(tenantId, existing, ids, new Set(crmOwnedFields), results);
    return { results };
  }

  /** `companyExternalId` → `companyId`: a company with that external id of the same system, else the item fails naming the field. */
  private async linkCompanies(tenantId: string, system: string, parsed: ParsedItem[], results: ExternalItemResult[]): Promise<void> {
    const wanted = [...new Set(parsed.flatMap((p) => (p.companyExternalId ? [p.companyExternalId] : [])))];
    if (wanted.length === 0) return;
    const companies = await this.refs.resolve(tenantId, 'company', system, wanted);
    for (const p of parsed) {
      if (!p.companyExternalId) continue;
      const company = companies.get(p.companyExternalId);
      if (company?.live) p.patch = { ...p.patch, companyId: company.recordId };
      else results[p.index] = failed(p.item, fieldError('record.companyExternalId', `no company with external id ${p.companyExternalId} in ${system}`));
    }
  }

  /** New records, all at once. Returns the items whose external id a concurrent batch claimed first (they are known now). */
  private async create(tenantId: string, system: string, fresh: ParsedItem[], known: Map<string, { recordId: string }>, results: ExternalItemResult[]): Promise<ParsedItem[]> {
    const valid: { p: ParsedItem; input: ContactInput }[] = [];
    for (const p of fresh) {
      const input = contactInputSchema.safeParse(p.patch);
      if (input.success) valid.push({ p, input: input.data });
      else results[p.index] = failed(p.item, invalidRecord(input.error));
    }
    const companyIds = [...new Set(valid.flatMap(({ input }) => (input.companyId ? [input.companyId] : [])))];
    const liveCompanies = await this.imports.liveCompanies(tenantId, companyIds);
    const { values, issues } = await this.customFields.applyAll(tenantId, 'contact', 'contacts', valid.map(({ input }) => input.customFields));
    const writable = valid.flatMap(({ p, input }, i) => {
      const problem = itemIssues(issues, 'contacts', i) ?? (input.companyId && !liveCompanies.has(input.companyId) ? fieldError('record.companyId', 'no such company') : undefined);
      if (problem) {
        results[p.index] = failed(p.item, problem);
        return [];
      }
      return [{ p, write: { ...contactWrite(NEW_CONTACT, input), customFields: values[i] } as ContactWrite, id: randomUUID() }];
    });
    const gone = [...known.values()].map((ref) => ref.recordId);
    const claimed = await this.refs.claim(tenantId, 'contact', system, writable.map((w) => ({ externalId: w.p.item.externalId, recordId: w.id })), gone);
    const mine = writable.filter((w) => claimed.has(w.p.item.externalId));
    const rows = await this.imports.insertContacts(tenantId, mine.map((w) => w.write), mine.map((w) => w.id));
    await this.events.publishMany(
      contactCreated,
      rows.map((row) => {
        const contact = toContact(row);
        return { data: { contact }, meta: { tenantId, subject: contact.id, entityVersion: contact.version } };
      }),
    );
    rows.forEach((row, i) => (results[mine[i].p.index] = outcome(mine[i].p.item, { outcome: 'created', id: row.id })));
    return writable.filter((w) => !claimed.has(w.p.item.externalId)).map((w) => w.p);
  }

  /** Known records: CRM-owned fields kept (a differing incoming value is a conflict), the rest applied when it changes anything. */
  private async update(tenantId: string, existing: ParsedItem[], ids: Map<number, string>, crmOwned: Set<string>, results: ExternalItemResult[]): Promise<void> {
    const rows = new Map((await this.contacts.findMany(tenantId, [...ids.values()])).map((row) => [row.id, row]));
    for (const p of existing) {
      const id = ids.get(p.index)!;
      const row = rows.get(id);
      if (!row || row.deletedAt) {
        results[p.index] = failed(p.item, new DomainError('NOT_FOUND', `contact ${id} not found.`));
        continue;
      }
      try {
        results[p.index] = await this.updateOne(tenantId, p, toContact(row), crmOwned);
      } catch (error) {
        results[p.index] = failed(p.item, error);
      }
    }
  }

  private async updateOne(tenantId: string, p: ParsedItem, before: ReturnType<typeof toContact>, crmOwned: Set<string>): Promise<ExternalItemResult> {
    const current = { ...currentWrite(before), customFields: before.customFields };
    const conflicts: { field: string; incoming: unknown }[] = [];
    const patch: ContactPatch = {};
    for (const [field, value] of Object.entries(p.patch) as [keyof ContactPatch, unknown][]) {
      if (!crmOwned.has(field)) {
        (patch as Record<string, unknown>)[field] = value;
        continue;
      }
      const key = field as keyof typeof current;
      const incoming = field === 'customFields' ? { ...before.customFields, ...(value as object) } : ({ ...contactWrite(currentWrite(before), { [field]: value }), customFields: before.customFields })[key];
      if (!isDeepStrictEqual(incoming, current[key])) conflicts.push({ field, incoming: value });
    }
    const withConflicts = conflicts.length ? { conflicts } : {};
    if (patch.companyId && patch.companyId !== before.companyId && !(await this.imports.liveCompanies(tenantId, [patch.companyId])).has(patch.companyId)) {
      throw fieldError('record.companyId', 'no such company');
    }
    const customFields = await this.fieldValidator.apply(tenantId, 'contact', 'record.customFields', patch.customFields, before.customFields);
    const next = { ...contactWrite(current, patch), customFields };
    if (isDeepStrictEqual(next, current)) return outcome(p.item, { outcome: 'unchanged', id: before.id, ...withConflicts });
    const row = await this.contacts.update(tenantId, before.id, before.version, next);
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The contact changed meanwhile; send it again.');
    const contact = toContact(row);
    await this.events.publish(contactUpdated, { contact, changed: changedFields(before, contact, patch) }, { tenantId, subject: contact.id, entityVersion: contact.version });
    return outcome(p.item, { outcome: 'updated', id: contact.id, ...withConflicts });
  }
}
