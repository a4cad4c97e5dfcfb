import { Controller } from '@nestjs/common';
import { rotateApiClientSecret, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { RotateApiClientSecretService } from './rotate-api-client-secret.service';

@Controller()
export class RotateApiClientSecretHandler {
  constructor(private readonly service: RotateApiClientSecretService) {}

  @OnRpc(rotateApiClientSecret, { scope: 'tenant' })
  handle(request: RpcRequest<typeof rotateApiClientSecret>, { tenantId }: TenantCallContext) {
    return this.service.rotate(tenantId, request);
  }
}
