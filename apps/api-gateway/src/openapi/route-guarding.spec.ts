import { Injectable, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ROLES } from '@crm/contracts';
import { ACTIONS, PERMISSIONS, PLATFORM_OPERATOR, PORTAL_CUSTOMER, RESOURCES } from '../authz/permissions';
import { expectProblem, GatewayTestContext, Json } from '../testing/gateway-test-app';
import { CatalogRoute, listControllerRoutes, toOpenApiPath } from './route-catalog';

/**
 * The public routes, exactly. A new public route fails this test until it is added here:
 * making a route reachable without a token must be a deliberate, reviewed change.
 */
const PUBLIC_ROUTES = [
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/platform/auth/login',
  'GET /.well-known/jwks.json',
  'GET /health/live',
  'GET /health/ready',
  // Web-to-lead: any web page posts its form (no user; the unguessable form key names the tenant's
  // active form, a disallowed Origin is refused, counted per IP), and the browser's CORS preflight.
  'POST /api/v1/forms/{formKey}/submissions',
  'OPTIONS /api/v1/forms/{formKey}/submissions',
  // One-click unsubscribe (RFC 8058): a mail client posts the List-Unsubscribe link with no
  // credentials (the HMAC-signed token names tenant and contact); a browser gets a page that asks first.
  'POST /api/v1/public/unsubscribe/{token}',
  'GET /api/v1/public/unsubscribe/{token}',
  // Open pixel and click redirect of tracked marketing mail: a mail client loads them with no
  // credentials (the HMAC-signed token names the send and, for a click, the only URL it may go to).
  'GET /api/v1/public/email/click/{token}',
  'GET /api/v1/public/email/open/{token}',
  // The customer portal's sign-in: a visitor asks for a one-time link (emailed only to an address
  // with tickets in the tenant, the same answer either way), then trades its token for a portal token.
  'POST /api/v1/portal/sign-in-links',
  'POST /api/v1/portal/sessions',
  // The support web form: like web-to-lead, any web page posts it (the unguessable key names the
  // tenant's active form, a disallowed Origin is refused, counted per IP), and its CORS preflight.
  'POST /api/v1/support-forms/{formKey}/submissions',
  'OPTIONS /api/v1/support-forms/{formKey}/submissions',
  // A solved ticket's rating link (CSAT): a browser opens the page with no credentials, its button
  // posts the rating (the HMAC-signed token names tenant and ticket).
  'GET /api/v1/public/csat/{token}',
  'POST /api/v1/public/csat/{token}',
];
/** Served by SwaggerModule on Fastify directly, outside Nest (no guards): the docs page, its assets and the document. */
const DOCS_PREFIXES = ['/docs', '/docs-json'];

/** Records every route Fastify registers: what the server actually answers, whoever registered it. */
@Injectable()
class ServedRoutes {
  static readonly routes: { method: string; url: string }[] = [];
  constructor(host: HttpAdapterHost) {
    // Providers are created before Nest registers its routes and before the docs are set up.
    (host.httpAdapter.getInstance() as FastifyInstance).addHook('onRoute', ({ method, url }) => {
      for (const m of [method].flat()) ServedRoutes.routes.push({ method: m, url });
    });
  }
}
@Module({ providers: [ServedRoutes] })
class ServedRoutesModule {}

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

describe('every route is public or guarded, and documented', () => {
  let ctx: GatewayTestContext;
  let document: Json;
  let routes: CatalogRoute[];
  let served: string[];
  let documented: string[];

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({}, [ServedRoutesModule]);
    routes = listControllerRoutes(ctx.app);
    const response = await ctx.get('/docs-json');
    expect(response.status).toBe(200);
    document = await response.json();
    documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    served = ServedRoutes.routes
      .filter(({ method, url }) => method !== 'HEAD' && !(method === 'OPTIONS' && url === '*')) // implicit HEAD for GET; @fastify/cors' catch-all preflight
      .map(({ method, url }) => key({ method, path: toOpenApiPath(url) }));
  });

  afterAll(() => ctx?.close());

  it('finds the routes (the walk itself works)', () => {
    expect(routes.map(key)).toEqual(expect.arrayContaining(['GET /api/v1/auth/me', 'POST /api/v1/auth/login']));
    expect(served).toEqual(expect.arrayContaining(['GET /api/v1/auth/me', 'GET /docs', 'GET /docs-json']));
  });

  it('documents exactly the routes Nest controllers serve, and Fastify serves nothing else but the docs', () => {
    const nestRoutes = routes.map(key).sort();
    expect([...new Set(nestRoutes)]).toEqual(nestRoutes); // no route declared twice
    expect([...documented].sort()).toEqual(nestRoutes);
    const outsideNest = served.filter((route) => !nestRoutes.includes(route));
    expect(outsideNest.filter((route) => !DOCS_PREFIXES.some((prefix) => route.split(' ')[1].startsWith(prefix)))).toEqual([]);
    expect(nestRoutes.filter((route) => !served.includes(route))).toEqual([]);
  });

  it('gives every route either @Public() or a permission that exists in the map and some role holds', () => {
    for (const route of routes) {
      const where = `${key(route)} (${route.handler})`;
      if (route.isPublic) continue;
      expect({ where, permission: route.permission }).toEqual({ where, permission: expect.anything() });
      if (!route.permission) continue;
      const { resource, action } = route.permission;
      expect({ where, resource, known: (RESOURCES as readonly string[]).includes(resource) }).toMatchObject({ known: true });
      expect({ where, action, known: (ACTIONS as readonly string[]).includes(action) }).toMatchObject({ known: true });
      const granted = Object.values(PERMISSIONS).some((grants) => (grants[resource] as readonly string[] | undefined)?.includes(action));
      expect({ where, granted }).toEqual({ where, granted: true });
    }
  });

  it("keeps the platform operator's routes apart: only the operator holds their permissions, and it holds nothing else", () => {
    const platformRoutes = routes.filter((r) => r.path.startsWith('/api/v1/platform/') && !r.isPublic);
    expect(platformRoutes.map(key)).toEqual(expect.arrayContaining(['GET /api/v1/platform/services/{service}/parked', 'POST /api/v1/platform/auth/logout']));
    for (const route of routes) {
      if (route.isPublic || !route.permission) continue;
      const { resource, action } = route.permission;
      const operatorHolds = (PERMISSIONS[PLATFORM_OPERATOR][resource] as readonly string[] | undefined)?.includes(action) ?? false;
      const someRoleHolds = ROLES.some((role) => (PERMISSIONS[role][resource] as readonly string[] | undefined)?.includes(action));
      const onPlatformPath = route.path.startsWith('/api/v1/platform/');
      const onPortalPath = route.path.startsWith('/api/v1/portal/');
      expect({ route: key(route), operatorHolds, someRoleHolds }).toEqual({ route: key(route), operatorHolds: onPlatformPath, someRoleHolds: !onPlatformPath && !onPortalPath });
    }
  });

  it("keeps the portal customer's routes apart: only a portal customer holds their permissions, and the portal's guarded routes all need them", () => {
    const portalRoutes = routes.filter((r) => r.path.startsWith('/api/v1/portal/') && !r.isPublic);
    expect(portalRoutes.map(key)).toEqual(expect.arrayContaining(['GET /api/v1/portal/tickets/{id}', 'POST /api/v1/portal/tickets/{id}/replies']));
    for (const route of routes) {
      if (route.isPublic || !route.permission) continue;
      const { resource, action } = route.permission;
      const customerHolds = (PERMISSIONS[PORTAL_CUSTOMER][resource] as readonly string[] | undefined)?.includes(action) ?? false;
      expect({ route: key(route), customerHolds }).toEqual({ route: key(route), customerHolds: route.path.startsWith('/api/v1/portal/') });
    }
  });

  it('has exactly the allow-listed public routes', () => {
    expect(
      routes
        .filter((r) => r.isPublic)
        .map(key)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('serves the docs page and the document without a token', async () => {
    const page = await ctx.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(document).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: expect.any(String), version: expect.any(String) } });
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('describes each operation: bearer, 401/403 and its permission when guarded; an explicitly empty security when public; errors as Problem', () => {
    const problemRef = { $ref: '#/components/schemas/Problem' };
    expect(document.components.schemas.Problem.properties).toMatchObject({ correlationId: expect.anything(), errors: expect.anything() });
    for (const route of routes) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      const where = key(route);
      const statuses = Object.keys(operation.responses);
      if (route.isPublic) {
        expect({ where, security: operation.security }).toEqual({ where, security: [] });
      } else {
        expect({ where, security: operation.security }).toEqual({ where, security: [{ bearer: [] }] });
        expect({ where, statuses }).toEqual({ where, statuses: expect.arrayContaining(['401', '403', '503', '504']) });
        const permission = route.permission && `${route.permission.resource}:${route.permission.action}`;
        expect({ where, permission: operation['x-permission'] }).toEqual({ where, permission });
      }
      expect({ where, statuses }).toEqual({ where, statuses: expect.arrayContaining(['429', '500']) });
      if (operation.requestBody || operation.parameters?.length) expect({ where, statuses }).toEqual({ where, statuses: expect.arrayContaining(['400']) });
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect({ where, status, content: operation.responses[status].content }).toEqual({
          where,
          status,
          content: { 'application/problem+json': { schema: problemRef } },
        });
      }
    }
  });

  it('describes every validated body and query string from the schema that validates it', () => {
    const withSchemas = routes.filter((route) => route.schemas.body || route.schemas.query);
    expect(withSchemas.length).toBeGreaterThan(10);
    for (const route of withSchemas) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      if (route.schemas.body) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        expect({ route: key(route), properties: Object.keys(schema?.properties ?? {}).length > 0 }).toEqual({ route: key(route), properties: true });
      }
      if (route.schemas.query) {
        const queryParameters = (operation.parameters ?? []).filter((p: Json) => p.in === 'query');
        expect({ route: key(route), parameters: queryParameters.length > 0 }).toEqual({ route: key(route), parameters: true });
      }
    }
    const listContacts = document.paths['/api/v1/contacts'].get;
    expect(listContacts.parameters.map((p: Json) => p.name)).toEqual(expect.arrayContaining(['q', 'tag', 'lifecycleStage', 'sort', 'cursor', 'limit']));
    const createContact = document.paths['/api/v1/contacts'].post.requestBody.content['application/json'].schema;
    expect(createContact.required).toContain('firstName');
  });

  it('refuses every guarded route without a token: 401 problem+json', async () => {
    const guarded = routes.filter((r) => !r.isPublic);
    expect(guarded.length).toBeGreaterThan(0);
    for (const route of guarded) {
      // Any value fits a parameter: authentication runs before validation.
      const path = route.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const response = await ctx.request(route.method, path, { body });
      if (response.status !== 401) throw new Error(`${key(route)} answered ${response.status} without a token`);
      await expectProblem(response, 401);
    }
  });
});
