import type { INestApplication, INestApplicationContext } from '@nestjs/common';

/** What of @nestjs/core's ApplicationConfig this needs: the global guards and interceptors, as the arrays it keeps. */
interface GlobalEnhancers {
  getGlobalGuards(): unknown[];
  getGlobalInterceptors(): unknown[];
}

/**
 * Removes the global guard and interceptor nestjs-cls registers when neither is mounted (every
 * app here opens its contexts in Fastify hooks and in the bus's consumers): placeholders that let
 * everything through, `{ canActivate: () => true }` and `{ intercept: (_, next) => next.handle() }`
 * (nestjs-cls 6 and 7 alike). Present, they put every HTTP request and every message through
 * Nest's guard and interceptor pipeline: an awaited guard, then rxjs's defer, mergeAll and an
 * Observable around each handler call, which the bus then turns back into a promise.
 *
 * Call it once NestFactory.create has applied the modules' global enhancers and before routes and
 * message handlers are bound to them (app.init or listen, connectMicroservice). The placeholders
 * are recognised as object literals with their one method: every enhancer of this code base is
 * a class. Nothing is removed when Nest keeps its config otherwise (another version).
 */
export function removeUnmountedClsEnhancers(app: INestApplication | INestApplicationContext): void {
  const config = (app as unknown as { config?: Partial<GlobalEnhancers> }).config;
  if (typeof config?.getGlobalGuards !== 'function' || typeof config.getGlobalInterceptors !== 'function') return;
  removeWhere(config.getGlobalGuards(), (enhancer) => isPlaceholder(enhancer, 'canActivate'));
  removeWhere(config.getGlobalInterceptors(), (enhancer) => isPlaceholder(enhancer, 'intercept'));
}

function isPlaceholder(enhancer: unknown, method: string): boolean {
  if (typeof enhancer !== 'object' || enhancer === null || Object.getPrototypeOf(enhancer) !== Object.prototype) return false;
  const keys = Object.keys(enhancer);
  return keys.length === 1 && keys[0] === method && typeof (enhancer as Record<string, unknown>)[method] === 'function';
}

function removeWhere(list: unknown[], matches: (item: unknown) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (matches(list[i])) list.splice(i, 1);
}
