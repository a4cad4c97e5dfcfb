import * as contracts from '@crm/contracts';
import type { EventContract } from '@crm/contracts';
import type { ErpClient, ErpScope } from '../erp-auth/erp-client';

/**
 * Which scope a client needs to see a change (in the feed, in a webhook), by the event's
 * `<service>.<entity>`: the one place that decides it. A type of an entity not listed here is
 * seen by no client (deny by default). The sales scopes are write scopes because the ERP scope
 * set has no sales read scope: a client that may write orders may see them change.
 */
export const CHANGE_SCOPES: Readonly<Record<string, ErpScope>> = {
  'contacts.contact': 'contacts:read',
  'contacts.company': 'contacts:read',
  'contacts.interaction': 'contacts:read',
  'contacts.note': 'contacts:read',
  'sales-automation.order': 'orders:write',
  'sales-automation.product': 'products:write',
  'sales-automation.deal': 'deals:write',
  'sales-automation.pipeline': 'deals:write',
  'sales-automation.lead': 'deals:write',
  'sales-automation.form': 'deals:write',
  'sales-automation.task': 'deals:write',
  // A contact's marketing consent and the mail sent to it: what an ERP or a newsletter tool syncs.
  'sales-automation.email-consent': 'contacts:read',
  'sales-automation.email': 'contacts:read',
  // The automation's own set-up (templates, rules and their failed runs): for the integrator who manages the hooks.
  'sales-automation.email-template': 'webhooks:manage',
  'sales-automation.workflow-rule': 'webhooks:manage',
  'sales-automation.sequence': 'webhooks:manage',
  'sales-automation.campaign': 'webhooks:manage',
  'sales-automation.email-sender': 'webhooks:manage',
  // A contact's place in a sequence (started, paused, ended and why): beside the mail it was sent.
  'sales-automation.enrolment': 'contacts:read',
  // This gateway's own: a won deal's request for the ERP's sales order.
  'integration-gateway.sales-order': 'deals:write',
};

/** The services whose domain events the change log takes. */
export const FEED_SERVICES = ['contacts', 'sales-automation'] as const;

/** `contacts.contact.created.v1` -> `contacts.contact` (the resource of the change log row). */
export function resourceOf(type: string): string {
  return type.split('.').slice(0, 2).join('.');
}

/** The scope a change of `type` needs, or undefined when no client may see it. */
export function scopeForChange(type: string): ErpScope | undefined {
  return CHANGE_SCOPES[resourceOf(type)];
}

/** The resources (`contacts.contact`, ...) `client` may see changes of. */
export function visibleResources(client: Pick<ErpClient, 'scopes'>): string[] {
  return Object.entries(CHANGE_SCOPES)
    .filter(([, scope]) => client.scopes.includes(scope))
    .map(([resource]) => resource);
}

/** This gateway's own events in the feed: recorded where they are published, not consumed back from the bus. */
export const OWN_FEED_EVENTS: readonly EventContract[] = [contracts.salesOrderRequested];

/**
 * Events of the feed's services handled by a handler that does more than record them (one handler
 * per event type in a service): ContactLifecycleHandler (merged, erased) and DealWonHandler (won)
 * record them too.
 */
export const RECORDED_BY_OTHER_HANDLERS: ReadonlySet<string> = new Set([contracts.contactMerged.name, contracts.contactErased.name, contracts.dealWon.name]);

/** Every domain event the change log records: the events of the feed's services declared in libs/contracts, and this gateway's own. */
export function feedEventContracts(): EventContract[] {
  return Object.values<unknown>(contracts)
    .filter((value): value is EventContract => (value as { kind?: unknown } | null)?.kind === 'event')
    .filter((contract) => (FEED_SERVICES as readonly string[]).includes(contract.service))
    .concat(OWN_FEED_EVENTS)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The feed events RecordChangesHandler consumes itself (the rest are recorded by the handlers that publish or handle them). */
export function consumedFeedEventContracts(): EventContract[] {
  return feedEventContracts().filter((contract) => !OWN_FEED_EVENTS.includes(contract) && !RECORDED_BY_OTHER_HANDLERS.has(contract.name));
}

/** Does `pattern` (an exact versioned name, or a prefix ending in `*`: `contacts.contact.*`, `*`) match `type`? */
export function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}
