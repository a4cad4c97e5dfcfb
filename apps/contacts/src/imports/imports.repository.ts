import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { CompanyRow, CompanyWrite } from '../companies/company.repository';
import { ContactRow, ContactWrite, emailKey } from '../contacts/contact.repository';
import { Prisma } from '../generated/prisma/client';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { InteractionRow, InteractionWrite } from '../interactions/interaction.repository';
import { phoneDigits, textKey } from '../shared/text-keys';

const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * Bulk inserts for imports: one multi-row INSERT per table and batch (instead of a few
 * statements per record), returning the stored rows so the callers map and publish them as the
 * single creates do. Derived keys are computed as CompanyRepository and ContactRepository do.
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
    const rows = await this.db.company.findMany({
      where: { tenantId, id: { in: ids }, deletedAt: null },
      select: { id: true, sortName: true },
    });
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

  /** In input order. */
  async insertCompanies(tenantId: string, companies: CompanyWrite[]): Promise<CompanyRow[]> {
    const now = new Date();
    const data = companies.map((c) => ({
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
      createdAt: now,
      updatedAt: now,
    }));
    return inOrder(data, await this.db.company.createManyAndReturn({ data }));
  }

  /** In input order, with their emails and phones. `companyNames`: see liveCompanyNames. */
  async insertContacts(tenantId: string, contacts: ContactWrite[], companyNames: Map<string, string>): Promise<ContactRow[]> {
    const now = new Date();
    const ids = contacts.map(() => randomUUID());
    const rows = await this.db.contact.createManyAndReturn({
      data: contacts.map((c, i) => ({
        id: ids[i],
        tenantId,
        firstName: c.firstName,
        lastName: c.lastName,
        title: c.title,
        addresses: json(c.addresses),
        companyId: c.companyId,
        ownerId: c.ownerId,
        tags: c.tags,
        lifecycleStage: c.lifecycleStage,
        customFields: json(c.customFields),
        sortLastName: textKey(c.lastName),
        searchText: searchText(c),
        companySearchText: (c.companyId && companyNames.get(c.companyId)) || '',
        createdAt: now,
        updatedAt: now,
      })),
    });
    const emails = contacts.flatMap((c, i) =>
      c.emails.map((e, position) => ({
        tenantId,
        contactId: ids[i],
        position,
        address: e.address,
        addressKey: emailKey(e.address),
        label: e.label ?? null,
        primary: e.primary,
      })),
    );
    const phones = contacts.flatMap((c, i) =>
      c.phones.map((p, position) => ({
        tenantId,
        contactId: ids[i],
        position,
        number: p.number,
        digits: phoneDigits(p.number),
        label: p.label ?? null,
        primary: p.primary,
      })),
    );
    const emailRows = emails.length ? await this.db.contactEmail.createManyAndReturn({ data: emails }) : [];
    const phoneRows = phones.length ? await this.db.contactPhone.createManyAndReturn({ data: phones }) : [];
    const byPosition = (a: { position: number }, b: { position: number }) => a.position - b.position;
    const emailsOf = groupBy(emailRows, (e) => e.contactId);
    const phonesOf = groupBy(phoneRows, (p) => p.contactId);
    return inOrder(ids.map((id) => ({ id })), rows).map((row) => ({
      ...row,
      emails: (emailsOf.get(row.id) ?? []).sort(byPosition),
      phones: (phonesOf.get(row.id) ?? []).sort(byPosition),
    }));
  }

  /** In input order. */
  async insertInteractions(tenantId: string, interactions: InteractionWrite[]): Promise<InteractionRow[]> {
    const now = new Date();
    const data = interactions.map((i) => ({ id: randomUUID(), tenantId, ...i, createdAt: now }));
    return inOrder(data, await this.db.interaction.createManyAndReturn({ data }));
  }
}

/** What ContactRepository writes as `search_text`: names, addresses and phone digits, normalised. */
function searchText(c: ContactWrite): string {
  return [textKey(c.firstName), textKey(c.lastName), ...c.emails.map((e) => emailKey(e.address)), ...c.phones.map((p) => phoneDigits(p.number))]
    .filter(Boolean)
    .join(' ');
}

/** RETURNING gives no order guarantee: rows back in the order of the ids they were written with. */
function inOrder<T extends { id: string }>(written: { id: string }[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return written.map((w) => {
    const row = byId.get(w.id);
    if (!row) throw new Error(`bulk insert did not return row ${w.id}`);
    return row;
  });
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
