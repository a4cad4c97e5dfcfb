import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { ErpClient } from './erp-client';

/** Where ErpAuthGuard puts the verified client on the Fastify request. */
export const ERP_CLIENT_KEY = 'erpClient';

/** The ERP client of the request (set by ErpAuthGuard). */
export const CurrentClient = createParamDecorator((_data: unknown, context: ExecutionContext): ErpClient => {
  const request = context.switchToHttp().getRequest<Record<string, unknown>>();
  return request[ERP_CLIENT_KEY] as ErpClient;
});
