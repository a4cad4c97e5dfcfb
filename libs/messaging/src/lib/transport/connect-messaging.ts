import type { INestApplication } from '@nestjs/common';
import { MessagingTransport } from './messaging.transport';

/**
 * Connects the service's bus to the app as a NestJS microservice: every `@OnRpc` / `@OnEvent`
 * (`@MessagePattern` / `@EventPattern`) handler of the app's controllers is registered on it.
 * `inheritAppConfig` (default true) applies the app's global guards, pipes, interceptors and
 * filters to message handlers as to HTTP routes. Start it with `app.startAllMicroservices()`.
 */
export function connectMessaging(app: INestApplication, options: { inheritAppConfig?: boolean } = {}): MessagingTransport {
  const strategy = app.get(MessagingTransport);
  app.connectMicroservice({ strategy }, { inheritAppConfig: options.inheritAppConfig ?? true });
  return strategy;
}
