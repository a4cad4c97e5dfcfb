import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME, describeOperations } from './describe-operations';
import { listControllerRoutes } from './route-catalog';

export const DOCS_PATH = 'docs';
/** The raw document, next to the page: `/docs-json`. */
export const DOCS_JSON_PATH = `${DOCS_PATH}-json`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CRM API')
    .setDescription(
      'The CRM HTTP API. Errors are `application/problem+json` (RFC 9457) with a `correlationId`. ' +
        'Sign up or log in to get an access token, then send it as `Authorization: Bearer <token>`.',
    )
    .setVersion('1.0')
    // As package.json declares it.
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: the document is served by the gateway it describes, wherever that is deployed.
    .addServer('/', 'This gateway')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .build();
  // Tagged by path (auth, users, operations...) rather than one tag per single-route controller.
  const document = SwaggerModule.createDocument(app, config, { autoTagControllers: false });
  return describeOperations(document, listControllerRoutes(app));
}

/**
 * Serves the OpenAPI document at /docs-json and Swagger UI at /docs. Call after creating the
 * app, before listen. These routes are registered on Fastify directly, outside Nest's router,
 * so the global guards never see them: they are public by construction.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'CRM API',
  });
}
