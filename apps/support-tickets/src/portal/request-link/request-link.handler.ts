import { Controller } from '@nestjs/common';
import { requestPortalLink, RpcRequest } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { RequestPortalLinkService } from './request-link.service';

const WHY = "portal sign-in: an anonymous visitor of the tenant's portal asks; the link only ever goes to the address asked, and only if it asked tickets of the tenant";

@Controller()
export class RequestPortalLinkHandler {
  constructor(private readonly service: RequestPortalLinkService) {}

  @OnRpc(requestPortalLink, { scope: 'public', why: WHY })
  handle({ tenantId, email }: RpcRequest<typeof requestPortalLink>) {
    return this.service.request(tenantId, email);
  }
}
