import { Controller } from '@nestjs/common';
import { pauseEnrolment, resumeEnrolment, RpcRequest, stopEnrolment } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ChangeEnrolmentService } from './change-enrolment.service';

@Controller()
export class ChangeEnrolmentHandler {
  constructor(private readonly service: ChangeEnrolmentService) {}

  @OnRpc(pauseEnrolment, { scope: 'tenant' })
  pause({ id, expectedVersion }: RpcRequest<typeof pauseEnrolment>, { tenantId }: TenantCallContext) {
    return this.service.change(tenantId, id, expectedVersion, 'pause');
  }

  @OnRpc(resumeEnrolment, { scope: 'tenant' })
  resume({ id, expectedVersion }: RpcRequest<typeof resumeEnrolment>, { tenantId }: TenantCallContext) {
    return this.service.change(tenantId, id, expectedVersion, 'resume');
  }

  @OnRpc(stopEnrolment, { scope: 'tenant' })
  stop({ id, expectedVersion }: RpcRequest<typeof stopEnrolment>, { tenantId }: TenantCallContext) {
    return this.service.change(tenantId, id, expectedVersion, 'stop');
  }
}
