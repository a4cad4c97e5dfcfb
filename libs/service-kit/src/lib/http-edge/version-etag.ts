import { PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyInstance, preSerializationHookHandler } from 'fastify';
import { etagOf } from './versioning';

/** Fastify route config key set by @VersionEtag(). */
const VERSION_ETAG = 'versionEtag';

/**
 * On a controller: each of its routes answers a single record with `ETag` from the record's
 * `version` (the reply's own `version`: the record's, or the one a relayed record came with), for
 * If-Match on the next write. It marks the routes' Fastify config, and a
 * preSerialization hook (installVersionEtags) sets the header: a Nest interceptor would put every
 * reply of the route through rxjs.
 */
export function VersionEtag(): ClassDecorator {
  return (controller) => {
    const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
    for (const name of new MetadataScanner().getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined) ?? {};
      RouteConfig({ ...config, [VERSION_ETAG]: true })(prototype, name, { value: handler });
    }
  };
}

const setVersionEtag: preSerializationHookHandler<unknown> = (_request, reply, payload, done) => {
  const version = (payload as { version?: unknown } | null)?.version;
  if (typeof version === 'number') void reply.header('etag', etagOf(version));
  done(null, payload);
};

/** Gives the routes marked by @VersionEtag() their hook; call before the routes are registered (before app.init). */
export function installVersionEtags(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (!(route.config as Record<string, unknown> | undefined)?.[VERSION_ETAG]) return;
    const hooks = route.preSerialization;
    route.preSerialization = [...(hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]), setVersionEtag];
  });
}
