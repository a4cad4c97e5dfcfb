import { Controller, Injectable } from '@nestjs/common';
import { DomainError, emailEngaged, PUBLIC_MESSAGES, recordEmailEngagement, RpcRequest, validationFailed } from '@crm/contracts';
import { EventPublisher, OnRpc } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { EngagementRepository } from './engagement.repository';
import { TrackingTokens } from './tracking-token';

const WHY = PUBLIC_MESSAGES[recordEmailEngagement.name];

/** A link whose signature does not hold for its URL (tampered, another secret, cut short): the same answer for every cause. */
function badTrackingToken(): DomainError {
  return validationFailed([{ path: 'token', message: 'is not a valid tracking link' }], 'token: is not a valid tracking link');
}

/**
 * Records an open or a click once per send (and link), publishing `emailEngaged` for the contact's
 * timeline. A send gone (its contact erased) records nothing, but a click still goes where the
 * message pointed.
 */
@Injectable()
export class RecordEngagementService {
  constructor(
    private readonly tokens: TrackingTokens,
    private readonly engagements: EngagementRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async record({ token, url }: RpcRequest<typeof recordEmailEngagement>): Promise<{ url: string | null }> {
    const claim = this.tokens.verify(token, url ?? '');
    if (!claim || (claim.kind === 'clicked') !== (url !== undefined)) throw badTrackingToken();
    const send = await this.engagements.findSend(claim.sendId);
    const at = this.clock.now();
    if (send && (await this.engagements.recordFirst({ ...send, sendId: claim.sendId }, claim.kind, url ?? '', at))) {
      await this.events.publish(
        emailEngaged,
        {
          sendId: claim.sendId,
          contactId: send.contact_id,
          templateId: send.template_id,
          templateName: send.template_name ?? '',
          kind: claim.kind,
          url: url ?? null,
          source: send.source_kind && send.source_id ? { kind: send.source_kind as 'campaign', id: send.source_id } : null,
          at: at.toISOString(),
        },
        { tenantId: send.tenant_id, subject: claim.sendId },
      );
    }
    return { url: url ?? null };
  }
}

@Controller()
export class RecordEngagementHandler {
  constructor(private readonly service: RecordEngagementService) {}

  @OnRpc(recordEmailEngagement, { scope: 'public', why: WHY })
  handle(request: RpcRequest<typeof recordEmailEngagement>) {
    return this.service.record(request);
  }
}
