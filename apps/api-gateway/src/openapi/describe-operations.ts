import type { OpenAPIObject, OperationObject, ParameterObject, ResponsesObject, SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { PERMISSIONS } from '../authz/permissions';
import type { Role } from '@crm/contracts';
import { problemResponse, PROBLEM_SCHEMA, PROBLEM_SCHEMA_NAME } from '@crm/service-kit';
import type { CatalogRoute } from './route-catalog';
import { toOpenApiSchema } from '@crm/service-kit';

export const BEARER_SCHEME = 'bearer';
const IF_MATCH = 'if-match';

/** Routes served by library controllers (no OpenAPI decorators there): their summary and operationId. */
const LIBRARY_OPERATIONS: Record<string, { operationId: string; summary: string }> = {
  'HealthController.live': { operationId: 'live', summary: 'Liveness: the process answers' },
  'HealthController.ready': { operationId: 'ready', summary: 'Readiness: every dependency answers (503 otherwise)' },
};

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
    describeLibraryRoute(operation, route);
    const responses: ResponsesObject = { ...operation.responses };
    // A route that documents only its errors (@ApiProblem) loses Nest's default success response: put it back.
    if (!Object.keys(responses).some((status) => status.startsWith('2'))) responses[route.successStatus] = { description: 'Success' };
    describeValidatedInputs(operation, route);
    // A body validated as a whole without @ApiZodBody is still a body: say so, if only as "an object".
    if (route.inputs.includes('body')) operation.requestBody ??= { required: true, content: { 'application/json': { schema: { type: 'object' } } } };
    const errors: Record<number, ReturnType<typeof problemResponse>> = {};
    if (route.isPublic) {
      // Explicitly none: without it a reader (and redocly) cannot tell "public" from "forgot to say".
      operation.security = [];
    } else {
      operation.security = [{ [BEARER_SCHEME]: [] }];
      errors[401] = problemResponse('No valid access token.', {
        'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } },
      });
      errors[403] = problemResponse('Your role does not grant the permission this route requires.');
      if (route.permission) describePermission(operation, route.permission);
    }
    if (route.path.includes('{')) errors[404] = problemResponse('Not found (or it belongs to another organisation).');
    if (route.headers.includes(IF_MATCH)) {
      addHeaderParameter(operation, 'If-Match', 'The ETag of the version you read, e.g. `"3"`: the write happens only if it is still current.');
      errors[412] = problemResponse('The record changed since the version in `If-Match`: read it again.');
    }
    if (route.idempotencyKey) {
      addHeaderParameter(
        operation,
        'Idempotency-Key',
        'Makes a retry safe: the same key and body within a day get the first response again (`Idempotent-Replayed: true`).',
      );
      errors[409] = problemResponse('A conflict: a duplicate, or a request with this Idempotency-Key is still being processed.');
      errors[422] = problemResponse('This Idempotency-Key was already used with a different request body.');
    }
    // After the headers: a malformed If-Match or Idempotency-Key is a 400 naming the header.
    const hasInput = route.inputs.length > 0 || operation.requestBody !== undefined || (operation.parameters?.length ?? 0) > 0;
    if (hasInput) errors[400] = problemResponse('The request is invalid; `errors` names each field.');
    if (operation.requestBody) {
      errors[413] = problemResponse('The body is larger than the gateway accepts.');
      errors[415] = problemResponse('The body is not `application/json`.');
    }
    errors[429] = problemResponse('Too many requests; retry after the given delay.', {
      'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
    });
    errors[500] = problemResponse('Unexpected error; quote the correlationId.');
    if (!route.isPublic) {
      // Guarded routes reach other services over the bus, and check the caller's token and limits in Redis.
      errors[503] = problemResponse('A service this route needs is unavailable; retry after the given delay.', {
        'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
      });
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

function describeLibraryRoute(operation: OperationObject, route: CatalogRoute): void {
  const known = LIBRARY_OPERATIONS[route.handler];
  if (!known) return;
  operation.operationId = known.operationId;
  operation.summary ??= known.summary;
  if (route.handler === 'HealthController.ready') {
    operation.responses['503'] ??= problemResponse('A dependency does not answer.');
  }
}

function addHeaderParameter(operation: OperationObject, name: string, description: string): void {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  if (!parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === name.toLowerCase())) {
    parameters.push({ name, in: 'header', required: false, schema: { type: 'string' }, description });
  }
  operation.parameters = parameters;
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
