import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '@crm/contracts';
import { AppConfig } from '../../app.config';
import { feedEventContracts, scopeForChange, typeMatches } from '../../changes/change-scopes';
import type { ErpClient } from '../../erp-auth/erp-client';
import { assertWebhookTarget } from '../webhook-target';
import { WebhookSubscriptionRepository, type WebhookSubscriptionRow } from '../webhook-subscription.repository';
import type { CreateWebhookBody, UpdateWebhookBody } from './webhook-subscription.dto';

export interface WebhookView {
  id: string;
  url: string;
  eventTypes: string[];
  status: 'active' | 'disabled';
  disabledReason: string | null;
  disabledAt: string | null;
  failedInARow: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * A client's webhook subscriptions: create (the signing secret is shown once), list, read,
 * change (url, types, re-enable), rotate the secret, delete. A URL is checked against SSRF here
 * and again at every connection; the event types must name changes the client's scopes allow.
 */
@Injectable()
export class ManageSubscriptionsService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly config: AppConfig,
  ) {}

  async create(client: ErpClient, body: CreateWebhookBody): Promise<WebhookView & { secret: string }> {
    assertTypesAllowed(client, body.eventTypes);
    await assertWebhookTarget(body.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    const secret = newSecret();
    const row = await this.subscriptions.create({ id: randomUUID(), tenantId: client.tenantId, clientId: client.clientId, url: body.url, eventTypes: body.eventTypes, secret });
    return { ...view(row), secret };
  }

  async list(client: ErpClient): Promise<{ data: WebhookView[] }> {
    return { data: (await this.subscriptions.list(client.tenantId)).map(view) };
  }

  async get(client: ErpClient, id: string): Promise<WebhookView> {
    return view(await this.found(client, id));
  }

  async update(client: ErpClient, id: string, body: UpdateWebhookBody): Promise<WebhookView> {
    if (body.url !== undefined) await assertWebhookTarget(body.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    if (body.eventTypes !== undefined) assertTypesAllowed(client, body.eventTypes);
    const row = await this.subscriptions.update(client.tenantId, id, body);
    if (!row) throw notFound(id);
    return view(row);
  }

  /** A new secret (shown once); the old one stops signing at once. */
  async rotateSecret(client: ErpClient, id: string): Promise<WebhookView & { secret: string }> {
    const secret = newSecret();
    const row = await this.subscriptions.update(client.tenantId, id, { secret });
    if (!row) throw notFound(id);
    return { ...view(row), secret };
  }

  async delete(client: ErpClient, id: string): Promise<void> {
    if (!(await this.subscriptions.softDelete(client.tenantId, id))) throw notFound(id);
  }

  /** The subscription of the client's tenant, or NOT_FOUND. */
  async found(client: ErpClient, id: string): Promise<WebhookSubscriptionRow> {
    const row = await this.subscriptions.find(client.tenantId, id);
    if (!row) throw notFound(id);
    return row;
  }
}

/** Each pattern must name at least one change type, and every type it names must be one the client's scopes let it see. */
function assertTypesAllowed(client: ErpClient, patterns: string[]): void {
  const types = feedEventContracts().map((c) => c.name);
  for (const pattern of patterns) {
    const matched = types.filter((type) => typeMatches(pattern, type));
    if (matched.length === 0) throw new DomainError('VALIDATION_FAILED', `no change type matches ${pattern}`, { field: 'eventTypes', pattern });
    const hidden = matched.find((type) => {
      const scope = scopeForChange(type);
      return !scope || !client.scopes.includes(scope);
    });
    if (hidden) {
      throw new DomainError('FORBIDDEN', `this client's scopes do not cover ${hidden} (from ${pattern})`, { field: 'eventTypes', requiredScope: scopeForChange(hidden) });
    }
  }
}

/** A Standard Webhooks secret: `whsec_` and base64 of 32 random bytes. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function notFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `no webhook subscription ${id}`, { id });
}

function view(row: WebhookSubscriptionRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes,
    status: row.status,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt ? new Date(row.disabledAt).toISOString() : null,
    failedInARow: row.failedInARow,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
