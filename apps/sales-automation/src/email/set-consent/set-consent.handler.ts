import { Controller } from '@nestjs/common';
import { RpcRequest, setEmailConsent } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { EmailConsentService } from '../consent/email-consent.service';

@Controller()
export class SetEmailConsentHandler {
  constructor(private readonly consents: EmailConsentService) {}

  @OnRpc(setEmailConsent, { scope: 'tenant' })
  handle({ contactId, status, source }: RpcRequest<typeof setEmailConsent>, { tenantId }: TenantCallContext) {
    return this.consents.set(tenantId, contactId, status, source);
  }
}
