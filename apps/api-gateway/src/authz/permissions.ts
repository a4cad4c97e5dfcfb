import type { Role } from '@crm/contracts';

/** What a route acts on. One entry per kind of record the gateway exposes. */
export const RESOURCES = [
  'session',
  'users',
  'contacts',
  'companies',
  'interactions',
  'custom-fields',
  'analytics',
  'diagnostics',
  'operations',
  // support-tickets' records (issue 15): tickets, and the inbound addresses that take mail into them.
  'tickets',
  'support-mailboxes',
  'sla-policies',
  'business-hours',
  'groups',
  'macros',
  'support-forms',
  'ticket-fields',
  // The integration gateway's admin side: API clients of ERP systems, field ownership, the sync log.
  'integrations',
  // sales-automation's records
  'products',
  'orders',
  'leads',
  'forms',
  'pipelines',
  'deals',
  'tasks',
  // sales-automation's automation half (issue 14): mail, consent, sequences, campaigns, rules.
  'email-senders',
  'email-templates',
  'consent',
  'sequences',
  'enrolments',
  'campaigns',
  'workflow-rules',
  // support-tickets' knowledge base: agents write it, everyone reads.
  'kb-articles',
  // The self-service portal: a signed-in customer's own tickets and the published knowledge base.
  'portal',
  // The platform operator's own: every tenant's parked messages, and its session.
  'platform-operations',
  'platform-session',
] as const;
export type Resource = (typeof RESOURCES)[number];

/** `export` and `erase` of contacts are data-subject requests (GDPR), granted apart from read and delete. */
export const ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'erase', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

const SALES_RESOURCES = ['products', 'orders', 'leads', 'forms', 'pipelines', 'deals', 'tasks'] as const;
/** Sales records: sales and managers write, support and viewers read, admins all (issue 12). */
const SALES_READ = Object.fromEntries(SALES_RESOURCES.map((resource) => [resource, ['read'] as const]));
const SALES_WRITE = Object.fromEntries(SALES_RESOURCES.map((resource) => [resource, ['read', 'create', 'update', 'delete'] as const]));

const AUTOMATION_RESOURCES = ['email-senders', 'email-templates', 'consent', 'sequences', 'enrolments', 'campaigns', 'workflow-rules'] as const;
/** Automation (issue 14): managers and admins design it, sales enrol contacts and record consent, everyone reads. */
const AUTOMATION_READ = Object.fromEntries(AUTOMATION_RESOURCES.map((resource) => [resource, ['read'] as const]));
const AUTOMATION_DESIGN = Object.fromEntries(AUTOMATION_RESOURCES.map((resource) => [resource, ['read', 'create', 'update', 'delete'] as const]));

const READ_BUSINESS: Partial<Record<Resource, readonly Action[]>> = {
  session: ['read', 'delete'],
  contacts: ['read'],
  companies: ['read'],
  interactions: ['read'],
  'custom-fields': ['read'],
  analytics: ['read'],
  diagnostics: ['read'],
  ...SALES_READ,
  ...AUTOMATION_READ,
  tickets: ['read'],
  'support-mailboxes': ['read'],
  'sla-policies': ['read'],
  'business-hours': ['read'],
  'kb-articles': ['read'],
  groups: ['read'],
  macros: ['read'],
  'support-forms': ['read'],
  'ticket-fields': ['read'],
};
/** Tickets (issue 15): support, managers and admins work them; everyone else reads. Managers and admins set up the mailboxes, SLA policies, business hours and ticket fields. */
const TICKETS_WORK: Partial<Record<Resource, readonly Action[]>> = {
  tickets: ['read', 'create', 'update'],
  'kb-articles': ['read', 'create', 'update', 'delete'],
  macros: ['read', 'create', 'update', 'delete'],
};
const WRITE = ['read', 'create', 'update', 'delete'] as const;

/**
 * The platform operator: not a tenant user and not a role (it is not in ROLES, so no admin can
 * grant it). An operator's token carries the `operator` claim and no tenant; the guard grants it
 * this entry alone, and no tenant role holds any of its resources.
 */
export const PLATFORM_OPERATOR = 'platform-operator' as const;
/**
 * A portal customer: not a user and not a role either. Their token (`portal: true`, from a one-time
 * sign-in link) names a tenant and their address; the guard grants it this entry alone, which no
 * role holds, and the portal's routes only ever act on the customer's own tickets.
 */
export const PORTAL_CUSTOMER = 'portal-customer' as const;
export type Grantee = Role | typeof PLATFORM_OPERATOR | typeof PORTAL_CUSTOMER;

/**
 * The one permission map: role × resource × action. A route declares what it needs with
 * @RequirePermission(resource, action); the PermissionGuard lets the caller through when any of
 * their roles grants it. Anything not listed is refused.
 */
export const PERMISSIONS: Readonly<Record<Grantee, Partial<Record<Resource, readonly Action[]>>>> = {
  admin: {
    ...READ_BUSINESS,
    users: ['read', 'create', 'update', 'delete'],
    contacts: [...WRITE, 'export', 'erase'],
    companies: WRITE,
    interactions: WRITE,
    'custom-fields': WRITE,
    operations: ['read', 'manage'],
    ...SALES_WRITE,
    ...AUTOMATION_DESIGN,
    ...TICKETS_WORK,
    'support-mailboxes': WRITE,
    'sla-policies': WRITE,
    'business-hours': WRITE,
    groups: WRITE,
    'support-forms': WRITE,
    'ticket-fields': WRITE,
    // Machine credentials hold a tenant's data: admins alone create, rotate and revoke them.
    integrations: WRITE,
  },
  manager: {
    ...READ_BUSINESS,
    users: ['read'],
    contacts: [...WRITE, 'export'],
    companies: WRITE,
    interactions: WRITE,
    'custom-fields': WRITE,
    ...SALES_WRITE,
    ...AUTOMATION_DESIGN,
    ...TICKETS_WORK,
    'support-mailboxes': WRITE,
    'sla-policies': WRITE,
    'business-hours': WRITE,
    groups: WRITE,
    'support-forms': WRITE,
    'ticket-fields': WRITE,
  },
  sales: {
    ...READ_BUSINESS,
    contacts: WRITE,
    companies: WRITE,
    interactions: WRITE,
    ...SALES_WRITE,
    enrolments: ['read', 'create', 'update', 'delete'],
    consent: ['read', 'update'],
  },
  support: { ...READ_BUSINESS, interactions: ['read', 'create'], ...TICKETS_WORK },
  viewer: READ_BUSINESS,
  [PLATFORM_OPERATOR]: {
    'platform-operations': ['read', 'manage'],
    'platform-session': ['delete'],
  },
  [PORTAL_CUSTOMER]: {
    portal: ['read', 'create', 'update'],
  },
};

export function isAllowed(roles: readonly Grantee[], resource: Resource, action: Action): boolean {
  return roles.some((role) => PERMISSIONS[role]?.[resource]?.includes(action) ?? false);
}
