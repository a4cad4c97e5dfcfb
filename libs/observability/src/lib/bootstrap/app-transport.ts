import type { INestApplication } from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';

/**
 * The token under which a library provides the app's message transport (the messaging library
 * provides its MessagingTransport): lets generic start-up code connect it without depending on it.
 */
export const APP_TRANSPORT = Symbol.for('crm:app-transport');

/**
 * Connects the app's message transport, if its modules provide one, as a NestJS microservice
 * (start it with `app.startAllMicroservices()`). False when there is none.
 */
export function connectAppTransport(app: INestApplication, options: { inheritAppConfig?: boolean } = {}): boolean {
  let strategy: CustomTransportStrategy;
  try {
    strategy = app.get<CustomTransportStrategy>(APP_TRANSPORT, { strict: false });
  } catch {
    return false;
  }
  app.connectMicroservice({ strategy }, { inheritAppConfig: options.inheritAppConfig ?? true });
  return true;
}
