import { Controller } from '@nestjs/common';
import { leadFormOrigins, RpcRequest } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { FormLookup } from '../form-lookup';

/** The CORS preflight's question: which origins may post this form (no tenant data but the list). */
@Controller()
export class FormOriginsHandler {
  constructor(private readonly lookup: FormLookup) {}

  @OnRpc(leadFormOrigins, { scope: 'public', why: 'web-to-lead CORS preflight: answers only the allowed origins of the active form the key names' })
  async handle({ formKey }: RpcRequest<typeof leadFormOrigins>) {
    return { allowedOrigins: (await this.lookup.activeByKey(formKey)).allowed_origins };
  }
}
