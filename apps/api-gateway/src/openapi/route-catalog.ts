import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
// Not re-exported by the package root at runtime.
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '@crm/observability';
import type { z } from 'zod';
import { PERMISSION_KEY, RequiredPermission } from '../authz/require-permission.decorator';
import { NO_IDEMPOTENCY_STORAGE_KEY } from '../http/idempotency/no-idempotency-storage.decorator';
import { ZodValidationPipe } from '@crm/service-kit';

export type RouteInput = 'body' | 'query' | 'params';

/** One route a Nest controller serves, with what it requires. */
export interface CatalogRoute {
  /** Upper case, e.g. `GET`. */
  method: string;
  /** OpenAPI style: `/api/v1/users/{id}`. */
  path: string;
  isPublic: boolean;
  permission?: RequiredPermission;
  /** What the handler reads from the request, hence what may answer 400. */
  inputs: RouteInput[];
  /** The zod schemas the route validates its whole body / query string with (ZodValidationPipe). */
  schemas: Partial<Record<RouteInput, z.ZodType>>;
  /** Request headers the handler reads (`@Headers('if-match')`), lower case. */
  headers: string[];
  /** POST and PATCH remember an Idempotency-Key unless marked @NoIdempotencyStorage() (credential routes). */
  idempotencyKey: boolean;
  /** The status of success: `@HttpCode()`, else Nest's default (201 for POST, 200 otherwise). */
  successStatus: number;
  /** `Controller.handler`, for messages. */
  handler: string;
}

/**
 * Every route of every controller, read from the same metadata Nest routes by and the guards
 * decide on. The OpenAPI document is completed from it, and the route-guarding test checks it.
 */
export function listControllerRoutes(app: INestApplication): CatalogRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: CatalogRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller) continue;
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const targets = [handler, controller];
      for (const controllerPath of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const handlerPath of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
          routes.push({
            method: RequestMethod[method],
            path: toOpenApiPath(joinPaths(controllerPath, handlerPath)),
            isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true,
            permission: reflector.getAllAndOverride<RequiredPermission | undefined>(PERMISSION_KEY, targets),
            inputs: inputsOf(controller, name),
            schemas: schemasOf(controller, name),
            headers: headersOf(controller, name),
            idempotencyKey:
              (method === RequestMethod.POST || method === RequestMethod.PATCH) &&
              reflector.getAllAndOverride<boolean>(NO_IDEMPOTENCY_STORAGE_KEY, targets) !== true,
            successStatus: (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200),
            handler: `${controller.name}.${name}`,
          });
        }
      }
    }
  }
  return routes;
}

/** `/users/:id` → `/users/{id}` (Fastify and Nest name parameters with a colon, OpenAPI with braces). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const INPUT_BY_PARAMTYPE: Partial<Record<RouteParamtypes, RouteInput>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'params',
};

/** From the parameter decorators (@Body, @Query, @Param), stored by Nest as `<paramtype>:<index>`. */
function inputsOf(controller: object, method: string): RouteInput[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, unknown>;
  const inputs = Object.keys(args).map((key) => INPUT_BY_PARAMTYPE[Number(key.split(':')[0]) as RouteParamtypes]);
  return [...new Set(inputs.filter((input): input is RouteInput => input !== undefined))];
}

/** Names given to `@Headers(name)`. */
function headersOf(controller: object, method: string): string[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { data?: unknown }>;
  return Object.entries(args)
    .filter(([key, arg]) => Number(key.split(':')[0]) === RouteParamtypes.HEADERS && typeof arg.data === 'string')
    .map(([, arg]) => (arg.data as string).toLowerCase());
}

/** Schemas of `@Body(new ZodValidationPipe(schema))` and `@Query(new ZodValidationPipe(schema))` (whole-object pipes only). */
function schemasOf(controller: object, method: string): Partial<Record<RouteInput, z.ZodType>> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { data?: unknown; pipes?: unknown[] }>;
  const schemas: Partial<Record<RouteInput, z.ZodType>> = {};
  for (const [key, arg] of Object.entries(args)) {
    const input = INPUT_BY_PARAMTYPE[Number(key.split(':')[0]) as RouteParamtypes];
    if (!input || arg.data !== undefined) continue;
    const pipe = arg.pipes?.find((candidate): candidate is ZodValidationPipe<z.ZodType> => candidate instanceof ZodValidationPipe);
    if (pipe) schemas[input] = pipe.schema;
  }
  return schemas;
}

function joinPaths(...parts: string[]): string {
  const joined = parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : '/'];
}
