import { Controller } from '@nestjs/common';
import { PUBLIC_MESSAGES, RpcRequest, unsubscribeByToken } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { EmailConsentService } from '../consent/email-consent.service';
import { badUnsubscribeToken } from '../email-errors';
import { EmailSendRepository } from '../sending/email-send.repository';
import { UnsubscribeTokens } from '../sending/unsubscribe-token';

const WHY = PUBLIC_MESSAGES[unsubscribeByToken.name];

/** The List-Unsubscribe link of a marketing message: unsubscribes its contact (again: no change). */
@Controller()
export class UnsubscribeHandler {
  constructor(
    private readonly tokens: UnsubscribeTokens,
    private readonly consents: EmailConsentService,
    private readonly sends: EmailSendRepository,
  ) {}

  @OnRpc(unsubscribeByToken, { scope: 'public', why: WHY })
  async handle({ token }: RpcRequest<typeof unsubscribeByToken>) {
    const claim = this.tokens.verify(token);
    if (!claim) throw badUnsubscribeToken();
    const send = await this.sends.findById(claim.sendId);
    // The send's contact now: the link's own, or the survivor it was merged into. No send any more:
    // its contact was erased, and nothing will be sent to it again.
    if (send) await this.consents.set(send.tenant_id, send.contact_id, 'unsubscribed', 'unsubscribe-link');
    return { status: 'unsubscribed' as const };
  }
}
