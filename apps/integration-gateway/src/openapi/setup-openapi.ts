import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERP_SCOPES } from '../erp-auth/erp-client';
import { listControllerRoutes } from './route-catalog';

export const DOCS_PATH = 'docs';
/** The raw document, next to the page: `/docs-json`. */
export const DOCS_JSON_PATH = `${DOCS_PATH}-json`;
export const BEARER_SCHEME = 'bearer';
export const OAUTH2_SCHEME = 'oauth2';

/** What each scope allows, for the document's oauth2 flow. */
const SCOPE_DESCRIPTIONS: Record<(typeof ERP_SCOPES)[number], string> = {
  'contacts:read': 'Read contacts and companies by external id',
  'contacts:write': 'Upsert and delete contacts by external id',
  'companies:write': 'Upsert and delete companies by external id',
  'products:write': 'Upsert and delete products by external id',
  'orders:write': 'Upsert orders, update their invoice and payment status',
  'deals:write': "Acknowledge a won deal with the ERP's order number",
  'changes:read': 'Read the change feed',
  'webhooks:manage': 'Manage webhook subscriptions and replay deliveries',
  'sync-log:read': 'Read the sync log',
};

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CRM integration gateway (ERP API)')
    .setDescription(
      'The door for ERP systems. Get an access token by the OAuth 2.0 client-credentials grant at `POST /oauth/token` ' +
        '(an API client created by a tenant admin), then send it as `Authorization: Bearer <token>`. ' +
        'Each route needs one scope. Errors are `application/problem+json` (RFC 9457), except the token endpoint (RFC 6749 §5.2).',
    )
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer('/', 'This gateway')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .addOAuth2({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: SCOPE_DESCRIPTIONS } } }, OAUTH2_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, { autoTagControllers: false });
  // Security from what each route declares, so the document cannot drift from the guard.
  for (const route of listControllerRoutes(app)) {
    const operation = document.paths[route.path]?.[route.method.toLowerCase() as 'get'] as OperationObject | undefined;
    if (!operation) continue;
    if (route.isPublic) {
      operation.security = [];
      continue;
    }
    const scopes = route.scope && route.scope !== 'by-object' ? [route.scope] : [];
    operation.security = [{ [BEARER_SCHEME]: [] }, { [OAUTH2_SCHEME]: scopes }];
    operation.responses = {
      ...operation.responses,
      401: { description: 'No valid access token (or the API client is revoked).' },
      403: {
        description:
          route.scope === 'by-object' ? 'The client lacks the scope of the object (e.g. contacts:write).' : `The client lacks the scope ${route.scope}.`,
      },
    };
  }
  return document;
}

/**
 * Serves the OpenAPI document at /docs-json (and Swagger UI at /docs). Call after creating the
 * app, before listen: these routes are registered on Fastify directly, outside Nest's router (no
 * guard sees them: public by construction).
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'CRM integration gateway',
  });
}
