import { ERP_SCOPES } from '../erp-auth/erp-client';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';
import { CatalogRoute, listControllerRoutes } from './route-catalog';

/**
 * The public routes, exactly. A new public route fails this test until it is added here: making
 * a route reachable without a token must be a deliberate, reviewed change.
 */
/** The token endpoint, the key set, and the AsyncAPI document of the feed and webhooks (a description, no data). */
const PUBLIC_ROUTES = ['POST /oauth/token', 'GET /.well-known/jwks.json', 'GET /erp/v1/asyncapi.json'];
/** Library routes every service serves without a token (liveness, readiness), if served on this port. */
const LIBRARY_PUBLIC_HANDLERS = ['HealthController.live', 'HealthController.ready'];
/** Public but left out of the OpenAPI document: the key set is for services, not ERP integrators; the AsyncAPI document is a document of its own. */
const UNDOCUMENTED = ['GET /.well-known/jwks.json', 'GET /erp/v1/asyncapi.json'];

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('integration gateway: every route is public or declares a scope, and is documented', () => {
  let ctx: IntegrationGatewayTestContext;
  let routes: CatalogRoute[];
  let document: Json;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
    routes = listControllerRoutes(ctx.service.app);
    const response = await fetch(`${ctx.url}/docs-json`);
    expect(response.status).toBe(200);
    document = await response.json();
  });
  afterAll(() => ctx?.close());

  it('finds the routes (the walk itself works)', () => {
    expect(routes.map(key)).toEqual(expect.arrayContaining(['POST /oauth/token', 'GET /.well-known/jwks.json']));
  });

  it('guards every route: public ones are exactly the listed ones, every other declares a known scope', () => {
    const library = routes.filter((route) => LIBRARY_PUBLIC_HANDLERS.includes(route.handler));
    const own = routes.filter((route) => !library.includes(route));
    expect(
      own
        .filter((route) => route.isPublic)
        .map(key)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
    expect(library.every((route) => route.isPublic)).toBe(true);
    const undeclared = own.filter((route) => !route.isPublic && !(route.scope === 'by-object' || ERP_SCOPES.includes(route.scope as never)));
    expect(undeclared.map((route) => `${key(route)} (${route.handler})`)).toEqual([]);
  });

  it('refuses a route without a token (401 problem+json) unless it is public', async () => {
    for (const route of routes.filter((r) => !r.isPublic)) {
      const path = route.path.replace(/\{[^}]+\}/g, 'x');
      const response = await fetch(`${ctx.url}${path}`, { method: route.method });
      expect({ route: key(route), status: response.status }).toEqual({ route: key(route), status: 401 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('documents every route but the key set, with the bearer scheme and the oauth2 client-credentials flow', () => {
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = routes
      .map(key)
      .filter((route) => !UNDOCUMENTED.includes(route) && !routes.find((r) => key(r) === route && LIBRARY_PUBLIC_HANDLERS.includes(r.handler)));
    expect(documented.sort()).toEqual(expect.arrayContaining(expected.sort()));
    expect(document.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: expect.any(Object) } } },
    });
    expect(Object.keys(document.components.securitySchemes.oauth2.flows.clientCredentials.scopes).sort()).toEqual([...ERP_SCOPES].sort());
    expect(document.paths['/oauth/token'].post.security).toEqual([]);
    for (const route of routes.filter((r) => !r.isPublic)) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect({ route: key(route), security: operation?.security }).toEqual({
        route: key(route),
        security: [{ bearer: [] }, { oauth2: route.scope === 'by-object' ? [] : [route.scope] }],
      });
    }
  });
});
