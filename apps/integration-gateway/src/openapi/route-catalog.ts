import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '@crm/observability';
import type { ErpScope } from '../erp-auth/erp-client';
import { REQUIRED_SCOPE_KEY } from '../erp-auth/require-scope.decorator';

/** One HTTP route a Nest controller serves, with what ErpAuthGuard requires of it. */
export interface CatalogRoute {
  /** Upper case, e.g. `GET`. */
  method: string;
  /** OpenAPI style: `/erp/v1/contacts/{system}/{externalId}`. */
  path: string;
  isPublic: boolean;
  scope?: ErpScope | 'by-object';
  /** `Controller.handler`, for messages. */
  handler: string;
}

/** Every route of every controller, read from the metadata Nest routes by and the guard decides on. */
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
            scope: reflector.getAllAndOverride<ErpScope | 'by-object' | undefined>(REQUIRED_SCOPE_KEY, targets),
            handler: `${controller.name}.${name}`,
          });
        }
      }
    }
  }
  return routes;
}

/** `/x/:id` → `/x/{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function asList(value: unknown): string[] {
  if (value === undefined) return ['/'];
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

function joinPaths(...parts: string[]): string {
  const joined = parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}
