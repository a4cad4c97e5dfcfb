import { Controller } from '@nestjs/common';
import { getEmailConsent, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { EmailConsentService } from '../consent/email-consent.service';

@Controller()
export class GetEmailConsentHandler {
  constructor(private readonly consents: EmailConsentService) {}

  @OnRpc(getEmailConsent, { scope: 'tenant' })
  handle({ contactId }: RpcRequest<typeof getEmailConsent>, { tenantId }: TenantCallContext) {
    return this.consents.get(tenantId, contactId);
  }
}
