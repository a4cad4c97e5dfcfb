import type { INestApplication } from '@nestjs/common';
import { connectMessaging } from '@crm/messaging';

/**
 * The gateway's bus as its microservice. The gateway's global guards, interceptors and filter
 * are HTTP's (bearer token, rate limits per client, idempotency keys, problem details): its one
 * message handler, an event contacts publishes (trusted by the broker's user-id check), does
 * not inherit them.
 */
export function connectGatewayMessaging(app: INestApplication): void {
  connectMessaging(app, { inheritAppConfig: false });
}
