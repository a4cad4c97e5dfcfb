import type { OpenAPIObject, OperationObject, ParameterObject, ResponsesObject, SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { PERMISSIONS } from '../authz/permissions';
import type { Role } from '@crm/contracts';
import { problemResponse, PROBLEM_SCHEMA, PROBLEM_SCHEMA_NAME } from './problem.schema';
import type { CatalogRoute } from './route-catalog';
import { toOpenApiSchema } from './zod-openapi.decorators';

export const BEARER_SCHEME = 'bearer';

/**
 * Completes every operation from what the route declares, so the document cannot drift from the
 * guards: security and 401/403 on every non-public route with the permission it needs, the
 * errors every route can answer, all as one Problem schema. Responses a route documents
 * itself are kept.
 */
export function describeOperations(document: OpenAPIObject, routes: readonly CatalogRoute[]): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, [PROBLEM_SCHEMA_NAME]: PROBLEM_SCHEMA },
  };
  for (const route of routes) {
    const operation = document.paths[route.path]?.[route.method.toLowerCase() as 'get'] as OperationObject | undefined;
    if (!operation) continue; // the route-guarding test reports routes missing from the document
    addPathParameters(operation, route.path);
    operation.tags = operation.tags?.length ? operation.tags : [tagOf(route.path)];
    const responses: ResponsesObject = { ...operation.responses };
    describeValidatedInputs(operation, route);
    // A body validated as a whole without @ApiZodBody is still a body: say so, if only as "an object".
    if (route.inputs.includes('body')) operation.requestBody ??= { required: true, content: { 'application/json': { schema: { type: 'object' } } } };
    const hasInput = route.inputs.length > 0 || operation.requestBody !== undefined || (operation.parameters?.length ?? 0) > 0;
    const errors: Record<number, ReturnType<typeof problemResponse>> = {};
    if (hasInput) errors[400] = problemResponse('The request is invalid; `errors` names each field.');
    if (route.isPublic) {
      delete operation.security;
    } else {
      operation.security = [{ [BEARER_SCHEME]: [] }];
      errors[401] = problemResponse('No valid access token.', {
        'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } },
      });
      errors[403] = problemResponse('Your role does not grant the permission this route requires.');
      if (route.permission) describePermission(operation, route.permission);
    }
    if (route.path.includes('{')) errors[404] = problemResponse('Not found (or it belongs to another organisation).');
    errors[429] = problemResponse('Too many requests; retry after the given delay.', {
      'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
    });
    errors[500] = problemResponse('Unexpected error; quote the correlationId.');
    if (!route.isPublic) {
      // Guarded routes reach other services over the bus.
      errors[503] = problemResponse('A service this route needs is unavailable.');
      errors[504] = problemResponse('A service this route needs did not answer in time.');
    }
    for (const [status, response] of Object.entries(errors)) responses[status] ??= response;
    operation.responses = responses;
  }
  return document;
}

/**
 * Bodies and query strings from the zod schema their ZodValidationPipe validates with, so the
 * document describes exactly what the route accepts. What a route documents itself is kept.
 */
function describeValidatedInputs(operation: OperationObject, route: CatalogRoute): void {
  const { body, query } = route.schemas;
  if (body && !operation.requestBody) {
    operation.requestBody = { required: true, content: { 'application/json': { schema: toOpenApiSchema(body, 'input') } } };
  }
  if (query instanceof z.ZodObject) {
    const parameters = (operation.parameters ?? []) as ParameterObject[];
    const object = toOpenApiSchema(query, 'input');
    const required = new Set(object.required ?? []);
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      if (parameters.some((p) => p.in === 'query' && p.name === name)) continue;
      const { description, ...schema } = property as SchemaObject;
      parameters.push({ name, in: 'query', required: required.has(name), schema, description });
    }
    if (parameters.length) operation.parameters = parameters;
  }
}

function describePermission(operation: OperationObject, permission: { resource: string; action: string }): void {
  const name = `${permission.resource}:${permission.action}`;
  const roles = (Object.keys(PERMISSIONS) as Role[]).filter((role) =>
    (PERMISSIONS[role][permission.resource as keyof (typeof PERMISSIONS)[Role]] as readonly string[] | undefined)?.includes(permission.action),
  );
  (operation as OperationObject & { 'x-permission'?: string })['x-permission'] = name;
  const line = `Requires permission \`${name}\` (roles: ${roles.join(', ') || 'none'}).`;
  operation.description = operation.description ? `${operation.description}\n\n${line}` : line;
}

/** Path parameters validated as one object (`@Param(pipe)`) are not seen by the scanner: add those missing. */
function addPathParameters(operation: OperationObject, path: string): void {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
      parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
  }
  if (parameters.length) operation.parameters = parameters;
}

/** `/api/v1/users/{id}` → `users`, `/health/ready` → `health`. */
function tagOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const rest = segments[0] === 'api' && /^v\d+$/.test(segments[1] ?? '') ? segments.slice(2) : segments;
  return rest[0]?.replace(/^\./, '') ?? 'default';
}
