import { Controller } from '@nestjs/common';
import { PUBLIC_MESSAGES, RpcRequest, unsubscribeByToken } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { EmailConsentService } from '../consent/email-consent.service';
import { badUnsubscribeToken } from '../email-errors';
import { UnsubscribeTokens } from '../sending/unsubscribe-token';

const WHY = PUBLIC_MESSAGES[unsubscribeByToken.name];

/** The List-Unsubscribe link of a marketing message: unsubscribes its contact (again: no change). */
@Controller()
export class UnsubscribeHandler {
  constructor(
    private readonly tokens: UnsubscribeTokens,
    private readonly consents: EmailConsentService,
  ) {}

  @OnRpc(unsubscribeByToken, { scope: 'public', why: WHY })
  async handle({ token }: RpcRequest<typeof unsubscribeByToken>) {
    const claim = this.tokens.verify(token);
    if (!claim) throw badUnsubscribeToken();
    await this.consents.set(claim.tenantId, claim.contactId, 'unsubscribed', 'unsubscribe-link');
    return { status: 'unsubscribed' as const };
  }
}
