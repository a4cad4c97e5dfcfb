import { Controller } from '@nestjs/common';
import { getEnrolment, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { EnrolmentRepository } from '../enrolment.repository';
import { enrolmentNotFound } from '../sequence-errors';
import { toEnrolment, toEnrolmentStep } from '../sequence.mapper';

/** An enrolment with the history of its steps (oldest first). */
@Controller()
export class GetEnrolmentHandler {
  constructor(private readonly enrolments: EnrolmentRepository) {}

  @OnRpc(getEnrolment, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getEnrolment>, { tenantId }: TenantCallContext) {
    const row = await this.enrolments.find(tenantId, id);
    if (!row) throw enrolmentNotFound(id);
    const history = await this.enrolments.history(tenantId, id);
    return { ...toEnrolment(row), history: history.map(toEnrolmentStep) };
  }
}
