import { INestApplication, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { NO_IDEMPOTENCY_STORAGE_KEY } from './no-idempotency-storage.decorator';

/** The methods an Idempotency-Key applies to. */
const IDEMPOTENT_METHODS: ReadonlySet<RequestMethod> = new Set([RequestMethod.POST, RequestMethod.PATCH]);

/**
 * Binds the app's IdempotencyInterceptor to every route that takes an Idempotency-Key, as
 * @UseInterceptors on each would; call before the routes are registered (before app.init). Not a
 * global interceptor: that put every route's reply, GETs included, through rxjs. The instance
 * replaces one bound by an earlier app of the same process (tests), so each app's routes use its own.
 */
export function bindIdempotency(app: INestApplication): void {
  const interceptor = app.get(IdempotencyInterceptor);
  for (const handler of idempotentHandlers(app.get(ModulesContainer))) {
    const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(INTERCEPTORS_METADATA, [...bound.filter((other) => !(other instanceof IdempotencyInterceptor)), interceptor], handler);
  }
}

/**
 * The routes that take an Idempotency-Key: POST and PATCH, except those marked
 * @NoIdempotencyStorage() (on the handler or its controller), which ignore the key.
 */
export function idempotentHandlers(modules: ModulesContainer): object[] {
  return routeHandlers(modules)
    .filter(({ handler }) => IDEMPOTENT_METHODS.has(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod))
    .filter(({ handler, controller }) => !Reflect.getMetadata(NO_IDEMPOTENCY_STORAGE_KEY, handler) && !Reflect.getMetadata(NO_IDEMPOTENCY_STORAGE_KEY, controller))
    .map(({ handler }) => handler);
}

/** Every HTTP route handler of the app's controllers, with its controller class. */
export function routeHandlers(modules: ModulesContainer): { handler: object; controller: object }[] {
  const scanner = new MetadataScanner();
  const routes: { handler: object; controller: object }[] = [];
  for (const module of modules.values()) {
    for (const { metatype: controller } of module.controllers.values()) {
      const prototype = (controller as { prototype?: Record<string, object> } | null)?.prototype;
      if (!controller || !prototype) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        if (Reflect.getMetadata(PATH_METADATA, prototype[name]) !== undefined) routes.push({ handler: prototype[name], controller });
      }
    }
  }
  return routes;
}
