// What both HTTP edges (api-gateway, integration-gateway) share: problem+json errors, zod pipes,
// ETag / If-Match versioning and the OpenAPI decorators of zod schemas.
export * from './problem-details.filter';
export * from './zod-validation.pipe';
export * from './uuid-param.pipe';
export * from './versioning';
export * from './version-etag';
export * from './problem.schema';
export * from './zod-openapi.decorators';
export * from './form-body';
export * from './dependency-unavailable.error';
