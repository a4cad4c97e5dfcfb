import { Controller } from '@nestjs/common';
import { DomainError, redeemPortalLink, RpcRequest } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { PortalLinkRepository } from '../portal-link.repository';
import { hashPortalToken } from '../request-link/request-link.service';

const WHY = 'portal sign-in: the anonymous holder of a one-time link spends its token; the token itself names tenant and customer';

/** Spends a sign-in link: whom the gateway may open a portal session for. Unknown, spent and expired links answer alike. */
@Controller()
export class RedeemPortalLinkHandler {
  constructor(
    private readonly links: PortalLinkRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(redeemPortalLink, { scope: 'public', why: WHY })
  async handle({ token }: RpcRequest<typeof redeemPortalLink>) {
    const spent = await this.links.spend(hashPortalToken(token), this.clock.now());
    if (!spent) throw new DomainError('UNAUTHENTICATED', 'This sign-in link is unknown, used or expired: ask for a new one.');
    return spent;
  }
}
