import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { CompanyRow, CompanyWrite } from '../companies/company.repository';
import { contactSearchText, ContactRow, ContactWrite, emailKey } from '../contacts/contact.repository';
import type { Prisma } from '../generated/prisma/client';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { InteractionRow, InteractionWrite } from '../interactions/interaction.repository';
import { insertSearchWordsSql, SearchWordOwner, searchWords } from '../shared/search-words';
import { phoneDigits, textKey } from '../shared/text-keys';

const json = (value: unknown) => value as Prisma.JsonValue;

/**
 * Bulk inserts for imports. Each table gets one INSERT per batch whose rows travel as a single
 * JSON parameter (jsonb_to_recordset): Postgres parses 1,000 rows in a millisecond or two, where
 * Prisma's createMany builds and binds thousands of parameters in JavaScript (seconds per batch
 * measured). The rows are built here, ids and times included, so nothing needs reading back;
 * derived keys are computed as CompanyRepository and ContactRepository compute them.
 */
@Injectable()
export class ImportsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /** The normalised names of those of `ids` that are live companies of the tenant (what contacts are searched by). */
  async liveCompanyNames(tenantId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.$queryRaw<{ id: string; sortName: string }[]>`
      SELECT id::text AS id, sort_name AS "sortName" FROM company
      WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::uuid[]) AND deleted_at IS NULL`;
    return new Map(rows.map((r) => [r.id, r.sortName]));
  }

  /**
   * Those of `ids` that are live contacts of the tenant, share-locked until the transaction ends
   * (as a single log does): a concurrent erasure or merge waits for the import, or the import
   * finds the contact gone.
   */
  async lockLiveContacts(tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM contact
      WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::uuid[]) AND deleted_at IS NULL AND erased_at IS NULL
      FOR SHARE`;
    return new Set(rows.map((r) => r.id));
  }

  /** The stored rows, in input order. */
  async insertCompanies(tenantId: string, companies: CompanyWrite[]): Promise<CompanyRow[]> {
    const now = new Date();
    const rows: CompanyRow[] = companies.map((c) => ({
      id: randomUUID(),
      tenantId,
      name: c.name,
      sortName: textKey(c.name),
      domain: c.domain,
      industry: c.industry,
      phones: json(c.phones),
      addresses: json(c.addresses),
      ownerId: c.ownerId,
      tags: c.tags,
      customFields: json(c.customFields),
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      purgedAt: null,
    }));
    await this.db.$executeRaw`
      INSERT INTO company (id, tenant_id, name, sort_name, domain, industry, phones, addresses, owner_id, tags, custom_fields, version, created_at, updated_at)
      SELECT id, "tenantId", name, "sortName", domain, industry, phones, addresses, "ownerId", tags, "customFields", version, "createdAt", "updatedAt"
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        id uuid, "tenantId" text, name text, "sortName" text, domain text, industry text, phones jsonb, addresses jsonb,
        "ownerId" uuid, tags text[], "customFields" jsonb, version int, "createdAt" timestamptz, "updatedAt" timestamptz)`;
    await this.insertSearchWords('company', tenantId, rows.map((r) => ({ id: r.id, text: r.sortName })));
    return rows;
  }

  /** The stored rows with their emails and phones, in input order. `companyNames`: see liveCompanyNames. */
  async insertContacts(tenantId: string, contacts: ContactWrite[], companyNames: Map<string, string>): Promise<ContactRow[]> {
    const now = new Date();
    const rows: ContactRow[] = contacts.map((c) => {
      const id = randomUUID();
      return {
        id,
        tenantId,
        firstName: c.firstName,
        lastName: c.lastName,
        sortLastName: textKey(c.lastName),
        title: c.title,
        addresses: json(c.addresses),
        companyId: c.companyId,
        ownerId: c.ownerId,
        tags: c.tags,
        lifecycleStage: c.lifecycleStage,
        customFields: json(c.customFields),
        searchText: contactSearchText(c),
        companySearchText: (c.companyId && companyNames.get(c.companyId)) || '',
        version: 1,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
        erasedAt: null,
        emails: c.emails.map((e, position) => ({
          id: randomUUID(),
          tenantId,
          contactId: id,
          position,
          address: e.address,
          addressKey: emailKey(e.address),
          label: e.label ?? null,
          primary: e.primary,
        })),
        phones: c.phones.map((p, position) => ({
          id: randomUUID(),
          tenantId,
          contactId: id,
          position,
          number: p.number,
          digits: phoneDigits(p.number),
          label: p.label ?? null,
          primary: p.primary,
        })),
      };
    });
    await this.db.$executeRaw`
      INSERT INTO contact (id, tenant_id, first_name, last_name, sort_last_name, title, addresses, company_id, owner_id, tags,
                           lifecycle_stage, custom_fields, search_text, company_search_text, version, created_at, updated_at,
                           email_list, phone_list)
      SELECT id, "tenantId", "firstName", "lastName", "sortLastName", title, addresses, "companyId", "ownerId", tags,
             "lifecycleStage", "customFields", "searchText", "companySearchText", version, "createdAt", "updatedAt",
             emails, phones
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        id uuid, "tenantId" text, "firstName" text, "lastName" text, "sortLastName" text, title text, addresses jsonb,
        "companyId" uuid, "ownerId" uuid, tags text[], "lifecycleStage" text, "customFields" jsonb, "searchText" text,
        "companySearchText" text, version int, "createdAt" timestamptz, "updatedAt" timestamptz, emails jsonb, phones jsonb)`;
    const emails = rows.flatMap((r) => r.emails);
    if (emails.length) {
      await this.db.$executeRaw`
        INSERT INTO contact_email (id, tenant_id, contact_id, position, address, address_key, label, "primary")
        SELECT id, "tenantId", "contactId", position, address, "addressKey", label, "primary"
        FROM jsonb_to_recordset(${JSON.stringify(emails)}::jsonb) AS r(
          id uuid, "tenantId" text, "contactId" uuid, position int, address text, "addressKey" text, label text, "primary" boolean)`;
    }
    const phones = rows.flatMap((r) => r.phones);
    if (phones.length) {
      await this.db.$executeRaw`
        INSERT INTO contact_phone (id, tenant_id, contact_id, position, number, digits, label, "primary")
        SELECT id, "tenantId", "contactId", position, number, digits, label, "primary"
        FROM jsonb_to_recordset(${JSON.stringify(phones)}::jsonb) AS r(
          id uuid, "tenantId" text, "contactId" uuid, position int, number text, digits text, label text, "primary" boolean)`;
    }
    await this.insertSearchWords('contact', tenantId, rows.map((r) => ({ id: r.id, text: r.searchText })));
    return rows;
  }

  /** The stored rows, in input order. */
  async insertInteractions(tenantId: string, interactions: InteractionWrite[]): Promise<InteractionRow[]> {
    const now = new Date();
    const rows: InteractionRow[] = interactions.map((i) => ({ id: randomUUID(), tenantId, ...i, createdAt: now }));
    await this.db.$executeRaw`
      INSERT INTO interaction (id, tenant_id, contact_id, channel, direction, subject, body, occurred_at, logged_by, created_at)
      SELECT id, "tenantId", "contactId", channel, direction, subject, body, "occurredAt", "loggedBy", "createdAt"
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        id uuid, "tenantId" text, "contactId" uuid, channel text, direction text, subject text, body text,
        "occurredAt" timestamptz, "loggedBy" text, "createdAt" timestamptz)`;
    return rows;
  }

  /** The search words of new records (SearchWordOwner), all in one statement. */
  private async insertSearchWords(owner: SearchWordOwner, tenantId: string, records: { id: string; text: string }[]): Promise<void> {
    const ids: string[] = [];
    const words: string[] = [];
    for (const { id, text } of records) {
      for (const word of searchWords(text)) {
        ids.push(id);
        words.push(word);
      }
    }
    if (words.length) await this.db.$executeRaw(insertSearchWordsSql(owner, tenantId, ids, words));
  }
}
