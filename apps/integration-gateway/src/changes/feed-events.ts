import * as contracts from '@crm/contracts';
import type { EventContract } from '@crm/contracts';
import type { ErpScope } from '../erp-auth/erp-client';

/**
 * Which events the change feed and webhooks carry, and the scope a client needs to see each (on
 * top of `changes:read` for the feed, `webhooks:manage` for subscriptions): the read or write
 * scope of the records they are about. One place, read by the feed, the subscriptions and the
 * AsyncAPI document.
 */
const SCOPE_BY_ENTITY: Record<string, ErpScope> = {
  'contacts.contact': 'contacts:read',
  'contacts.company': 'contacts:read',
  'contacts.interaction': 'contacts:read',
  'sales-automation.product': 'products:write',
  'sales-automation.order': 'orders:write',
  'sales-automation.deal': 'deals:write',
  'sales-automation.pipeline': 'deals:write',
  'sales-automation.lead': 'deals:write',
  'sales-automation.task': 'deals:write',
  'integration-gateway.sales-order': 'deals:write',
};
/** Internal timers and configuration, not CRM changes an ERP acts on. */
const NOT_IN_FEED = new Set(['sales-automation.task.reminder-due.v1']);

const isEvent = (value: unknown): value is EventContract => typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'event';

/** `contacts.contact.created.v1` → `contacts.contact`. */
export const entityOf = (type: string): string => type.split('.').slice(0, 2).join('.');

/** Every event of the feed, each once, in the contracts' order. */
export const FEED_EVENTS: readonly EventContract[] = (Object.values(contracts) as unknown[])
  .filter(isEvent)
  .filter((contract) => SCOPE_BY_ENTITY[entityOf(contract.name)] !== undefined && !NOT_IN_FEED.has(contract.name));

export const FEED_EVENT_TYPES: ReadonlySet<string> = new Set(FEED_EVENTS.map((contract) => contract.name));

/** The scope a client needs to see events of `type` (undefined: not a feed event). */
export function scopeOfEvent(type: string): ErpScope | undefined {
  return FEED_EVENT_TYPES.has(type) ? SCOPE_BY_ENTITY[entityOf(type)] : undefined;
}

/** The feed's event types `scopes` may see. */
export function visibleTypes(scopes: readonly ErpScope[]): string[] {
  return [...FEED_EVENT_TYPES].filter((type) => scopes.includes(scopeOfEvent(type)!));
}

/** The contact an event is about, when there is one (for erasure: its entries are scrubbed). */
export function contactOf(type: string, subject: string | undefined, data: unknown): string | null {
  const record = (data ?? {}) as Record<string, { contactId?: unknown } | unknown>;
  if (type.startsWith('contacts.contact.')) return subject ?? null;
  for (const key of ['order', 'deal', 'lead', 'interaction', 'task']) {
    const inner = record[key] as { contactId?: unknown } | undefined;
    if (typeof inner?.contactId === 'string') return inner.contactId;
  }
  return typeof record['contactId'] === 'string' ? (record['contactId'] as string) : null;
}
