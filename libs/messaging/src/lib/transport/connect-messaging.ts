import type { INestApplication } from '@nestjs/common';
import { connectAppTransport } from '@crm/observability';

/**
 * Connects the service's bus to the app as a NestJS microservice: every `@OnRpc` / `@OnEvent`
 * (`@MessagePattern` / `@EventPattern`) handler of the app's controllers is registered on it.
 * `inheritAppConfig` (default true) applies the app's global guards, pipes, interceptors and
 * filters to message handlers as to HTTP routes. Start it with `app.startAllMicroservices()`.
 */
export function connectMessaging(app: INestApplication, options: { inheritAppConfig?: boolean } = {}): void {
  if (!connectAppTransport(app, options)) throw new Error('connectMessaging: the app does not import MessagingModule');
}
