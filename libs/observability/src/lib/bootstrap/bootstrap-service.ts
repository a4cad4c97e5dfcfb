import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { Logger } from 'nestjs-pino';
import { createFastifyAdapter } from './create-fastify-adapter';
import { removeUnmountedClsEnhancers } from '../context/unmounted-cls-enhancers';
import { findUnreachable, START_DEPENDENCIES_HINT, StartupDependency } from './dependency-preflight';
import { exitIfShutdownHangs } from './shutdown-deadline';
import { describeStartupError } from './startup-error';
import { InternalHttpServer } from '../internal/internal-http-server';
import { releaseStartupMemory } from './release-startup-memory';

/** The settings every service's config has. */
export interface ServiceConfig {
  PORT: number;
  /** Metrics and readiness details (InternalHttpServer); never the client port. */
  INTERNAL_PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
}

export interface BootstrapServiceOptions<C extends ServiceConfig> {
  /** Service name, used in startup messages. */
  name: string;
  /** Loads and validates the config; a ConfigError is printed without a stack. */
  loadConfig: () => C;
  /** The root module, built from the validated config. */
  module: (config: C) => DynamicModule | Type;
  /** Servers checked before Nest starts, so an absent one gives one clear line instead of a retry storm. */
  dependencies?: (config: C) => StartupDependency[];
  /** Fastify server options (e.g. bodyLimit). */
  serverOptions?: (config: C) => FastifyServerOptions;
  /**
   * Service-specific setup run before the app listens: HTTP plugins (helmet, CORS), and the
   * transports it connects (`connectMessaging(app)`), started once it listens.
   */
  configure?: (app: NestFastifyApplication, config: C) => Promise<void> | void;
  host?: string;
}

/**
 * The one way every service starts: config, preflight, Nest on Fastify with pino logs on PORT,
 * metrics and readiness details on INTERNAL_PORT, graceful shutdown.
 */
export async function bootstrapService<C extends ServiceConfig>(options: BootstrapServiceOptions<C>): Promise<NestFastifyApplication> {
  const config = loadConfigOrExit(options);

  const unreachable = await findUnreachable(options.dependencies?.(config) ?? []);
  if (unreachable.length > 0) {
    exitWith(unreachable.map((line) => `${options.name} cannot start: ${line}. Start it with \`${START_DEPENDENCIES_HINT}\`.`).join('\n'));
  }

  try {
    const app = await NestFactory.create<NestFastifyApplication>(options.module(config), createFastifyAdapter(options.serverOptions?.(config)), {
      bufferLogs: true,
      // Let startup errors reach the catch below instead of aborting the process with a core dump.
      abortOnError: false,
    });
    removeUnmountedClsEnhancers(app);
    app.useLogger(app.get(Logger));
    app.enableShutdownHooks();
    await options.configure?.(app, config);
    exitIfShutdownHangs(config.SHUTDOWN_TIMEOUT_MS);
    // The internal port first: once the client port answers, metrics and readiness details answer
    // too (start-all's check saw the client port ready and the internal one refused, under load).
    const internal = await app.get(InternalHttpServer).listen(config.INTERNAL_PORT, options.host ?? '0.0.0.0');
    await app.listen({ port: config.PORT, host: options.host ?? '0.0.0.0' });
    // The bus (connected in configure) consumes requests and events once the app is up.
    await app.startAllMicroservices();
    releaseStartupMemory();
    app.get(Logger).log(`${options.name} listening on port ${config.PORT} (metrics and readiness details on ${new URL(internal).port})`, 'Bootstrap');
    return app;
  } catch (error) {
    return exitWith(`${options.name} failed to start: ${describeStartupError(error)}`);
  }
}

function loadConfigOrExit<C extends ServiceConfig>(options: BootstrapServiceOptions<C>): C {
  try {
    return options.loadConfig();
  } catch (error) {
    // ConfigError's message already lists each variable; anything else is unexpected but still one message.
    return exitWith(`${options.name} cannot start.\n${error instanceof Error ? error.message : String(error)}`);
  }
}

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
