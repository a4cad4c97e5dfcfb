import { ROLES, Role } from '@crm/contracts';
import { ACTIONS, isAllowed, PERMISSIONS, PLATFORM_OPERATOR, PORTAL_CUSTOMER, RESOURCES } from './permissions';

/** The permission map's promises, checked over every role × resource × action. */
describe('permission map', () => {
  const everyRoleResourceAction = ROLES.flatMap((role) => RESOURCES.flatMap((resource) => ACTIONS.map((action) => ({ role, resource, action }))));
  const allowedTo = (resource: (typeof RESOURCES)[number], action: (typeof ACTIONS)[number]) => ROLES.filter((role) => isAllowed([role], resource, action));

  it('lets viewers only read (and end their own session)', () => {
    const granted = everyRoleResourceAction
      .filter(({ role, resource, action }) => role === 'viewer' && isAllowed([role], resource, action))
      .map(({ resource, action }) => `${resource}:${action}`);
    expect(granted.filter((grant) => !grant.endsWith(':read'))).toEqual(['session:delete']);
    expect(granted.filter((grant) => grant.endsWith(':read')).sort()).toEqual(
      [
        'analytics',
        'business-hours',
        'campaigns',
        'companies',
        'consent',
        'contacts',
        'custom-fields',
        'deals',
        'diagnostics',
        'email-senders',
        'email-templates',
        'enrolments',
        'forms',
        'groups',
        'interactions',
        'kb-articles',
        'leads',
        'macros',
        'orders',
        'pipelines',
        'products',
        'sequences',
        'session',
        'sla-policies',
        'support-forms',
        'support-mailboxes',
        'tasks',
        'ticket-fields',
        'tickets',
        'workflow-rules',
      ].map((r) => `${r}:read`),
    );
  });

  it('lets support, managers and admins work tickets; the others read them', () => {
    expect(allowedTo('tickets', 'create')).toEqual(['admin', 'manager', 'support']);
    expect(allowedTo('ticket-fields', 'create')).toEqual(['admin', 'manager']);
    expect(allowedTo('tickets', 'update')).toEqual(['admin', 'manager', 'support']);
    expect(allowedTo('tickets', 'read')).toEqual(['admin', 'manager', 'sales', 'support', 'viewer']);
  });

  it('lets only admins erase contacts and manage operations', () => {
    expect(allowedTo('contacts', 'erase')).toEqual(['admin']);
    expect(allowedTo('operations', 'manage')).toEqual(['admin']);
    expect(allowedTo('operations', 'read')).toEqual(['admin']);
  });

  it('lets only admins and managers export a contact (a data-subject request)', () => {
    expect(allowedTo('contacts', 'export')).toEqual(['admin', 'manager']);
  });

  it('lets sales and managers write sales records, support and viewers only read them, admins all', () => {
    for (const resource of ['products', 'orders', 'leads', 'forms', 'pipelines', 'deals', 'tasks'] as const) {
      expect(allowedTo(resource, 'read')).toEqual([...ROLES]);
      for (const action of ['create', 'update', 'delete'] as const) expect(allowedTo(resource, action)).toEqual(['admin', 'manager', 'sales']);
    }
  });

  it('lets managers and admins design automation, sales enrol contacts and record consent, everyone read it', () => {
    for (const resource of ['email-senders', 'email-templates', 'consent', 'sequences', 'enrolments', 'campaigns', 'workflow-rules'] as const) {
      expect(allowedTo(resource, 'read')).toEqual([...ROLES]);
    }
    for (const resource of ['email-senders', 'email-templates', 'sequences', 'campaigns', 'workflow-rules'] as const) {
      for (const action of ['create', 'update', 'delete'] as const) expect(allowedTo(resource, action)).toEqual(['admin', 'manager']);
    }
    for (const action of ['create', 'update', 'delete'] as const) expect(allowedTo('enrolments', action)).toEqual(['admin', 'manager', 'sales']);
    expect(allowedTo('consent', 'update')).toEqual(['admin', 'manager', 'sales']);
    expect(allowedTo('consent', 'delete')).toEqual(['admin', 'manager']);
  });

  it('lets every role read and end its own session', () => {
    expect(allowedTo('session', 'read')).toEqual([...ROLES]);
    expect(allowedTo('session', 'delete')).toEqual([...ROLES]);
  });

  it('lets admins manage users and managers only list them', () => {
    for (const action of ['create', 'update', 'delete'] as const) expect(allowedTo('users', action)).toEqual(['admin']);
    expect(allowedTo('users', 'read')).toEqual(['admin', 'manager']);
  });

  it('keeps the platform operator out of ROLES, and tenant roles off its resources', () => {
    expect(ROLES as readonly string[]).not.toContain(PLATFORM_OPERATOR);
    for (const resource of ['platform-operations', 'platform-session'] as const) {
      for (const action of ACTIONS) expect(allowedTo(resource, action)).toEqual([]);
    }
    expect(isAllowed([PLATFORM_OPERATOR], 'platform-operations', 'read')).toBe(true);
    expect(isAllowed([PLATFORM_OPERATOR], 'platform-operations', 'manage')).toBe(true);
    const operatorResources = Object.keys(PERMISSIONS[PLATFORM_OPERATOR]).sort();
    expect(operatorResources).toEqual(['platform-operations', 'platform-session']);
  });

  it('keeps the portal customer out of ROLES, holding the portal alone, which no role holds', () => {
    expect(ROLES as readonly string[]).not.toContain(PORTAL_CUSTOMER);
    for (const action of ACTIONS) expect(allowedTo('portal', action)).toEqual([]);
    expect(Object.keys(PERMISSIONS[PORTAL_CUSTOMER])).toEqual(['portal']);
    expect(isAllowed([PORTAL_CUSTOMER], 'portal', 'read')).toBe(true);
    expect(isAllowed([PORTAL_CUSTOMER], 'tickets', 'read')).toBe(false);
    expect(isAllowed([PORTAL_CUSTOMER], 'kb-articles', 'read')).toBe(false);
  });

  it('lets support, managers and admins write the knowledge base, and everyone read it', () => {
    for (const action of ['create', 'update', 'delete'] as const) expect(allowedTo('kb-articles', action)).toEqual(['admin', 'manager', 'support']);
    expect(allowedTo('kb-articles', 'read')).toEqual([...ROLES]);
  });

  it('grants a user with several roles the union of their roles', () => {
    expect(isAllowed(['viewer', 'support'], 'interactions', 'create')).toBe(true);
    expect(isAllowed(['viewer'], 'interactions', 'create')).toBe(false);
    expect(isAllowed(['support'], 'contacts', 'create')).toBe(false);
    expect(isAllowed(['support', 'sales'], 'contacts', 'create')).toBe(true);
  });

  it('refuses everything to a caller without roles, or with a role it does not know', () => {
    for (const { resource, action } of everyRoleResourceAction) {
      expect(isAllowed([], resource, action)).toBe(false);
      expect(isAllowed(['root' as Role], resource, action)).toBe(false);
    }
  });
});
