import { Controller } from '@nestjs/common';
import { enrolContact, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { alreadyEnrolled, enrolmentNotFound } from '../sequence-errors';
import { toEnrolment } from '../sequence.mapper';
import { EnrolmentRepository } from '../enrolment.repository';
import { EnrolmentService } from './enrolment.service';

/** A user enrols a contact by hand: 409 ALREADY_ENROLLED while one is running. */
@Controller()
export class EnrolContactHandler {
  constructor(
    private readonly service: EnrolmentService,
    private readonly enrolments: EnrolmentRepository,
  ) {}

  @OnRpc(enrolContact, { scope: 'tenant' })
  async handle({ sequenceId, contactId, dealId, orderId }: RpcRequest<typeof enrolContact>, { tenantId, actor }: TenantCallContext) {
    const outcome = await this.service.enrol({
      tenantId,
      sequenceId,
      contactId,
      source: { kind: 'manual', id: actor.userId },
      context: { ...(dealId && { dealId }), ...(orderId && { orderId }) },
    });
    if (outcome.status === 'already-enrolled') throw alreadyEnrolled(outcome.enrolmentId);
    const row = await this.enrolments.find(tenantId, outcome.enrolmentId);
    if (!row) throw enrolmentNotFound(outcome.enrolmentId);
    return toEnrolment(row);
  }
}
