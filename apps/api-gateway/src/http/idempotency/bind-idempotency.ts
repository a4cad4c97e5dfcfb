import { INestApplication, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** The methods an Idempotency-Key applies to. */
export const IDEMPOTENT_METHODS: ReadonlySet<RequestMethod> = new Set([RequestMethod.POST, RequestMethod.PATCH]);

/**
 * Binds the app's IdempotencyInterceptor to every POST and PATCH route, as @UseInterceptors on each
 * would; call before the routes are registered (before app.init). Not a global interceptor: that
 * put every route's reply, GETs included, through rxjs. The instance replaces one bound by an
 * earlier app of the same process (tests), so each app's routes use its own.
 */
export function bindIdempotency(app: INestApplication): void {
  const interceptor = app.get(IdempotencyInterceptor);
  for (const handler of idempotentHandlers(app.get(ModulesContainer))) {
    const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(INTERCEPTORS_METADATA, [...bound.filter((other) => !(other instanceof IdempotencyInterceptor)), interceptor], handler);
  }
}

/** The route handlers of every controller of the app whose method takes an Idempotency-Key. */
export function idempotentHandlers(modules: ModulesContainer): object[] {
  const scanner = new MetadataScanner();
  const handlers = new Set<object>();
  for (const module of modules.values()) {
    for (const { metatype } of module.controllers.values()) {
      const prototype = (metatype as { prototype?: Record<string, object> } | null)?.prototype;
      for (const name of prototype ? scanner.getAllMethodNames(prototype) : []) {
        const handler = (prototype as Record<string, object>)[name];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        if (IDEMPOTENT_METHODS.has(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod)) handlers.add(handler);
      }
    }
  }
  return [...handlers];
}
