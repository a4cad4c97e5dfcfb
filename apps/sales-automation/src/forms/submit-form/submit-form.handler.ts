import { Controller } from '@nestjs/common';
import { DomainError, RpcRequest, submitLeadForm } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { CreateLeadService } from '../../leads/create-lead/create-lead.service';
import { FormLookup } from '../form-lookup';

const WHY = 'web-to-lead: an anonymous web page posts it; the tenant is the one whose active form the unguessable form key names';

/**
 * A web page's form submission: a lead of the form's tenant (source web_form, the form's campaign
 * and owner). A filled honeypot is answered like a success and creates nothing: a bot learns
 * nothing from the answer.
 */
@Controller()
export class SubmitFormHandler {
  constructor(
    private readonly lookup: FormLookup,
    private readonly leads: CreateLeadService,
  ) {}

  @OnRpc(submitLeadForm, { scope: 'public', why: WHY })
  async handle({ formKey, origin, submission }: RpcRequest<typeof submitLeadForm>) {
    const form = await this.lookup.activeByKey(formKey);
    if (origin && !form.allowed_origins.includes(origin.toLowerCase())) throw new DomainError('FORBIDDEN', 'This form may not be posted from that origin.');
    if (submission.website) return { leadId: null, allowedOrigins: form.allowed_origins };
    const { website: _honeypot, ...fields } = submission;
    const lead = await this.leads.create(form.tenant_id, { ...fields, source: 'web_form', campaignId: form.campaign_id, ownerId: form.owner_id }, form.id);
    return { leadId: lead.id, allowedOrigins: form.allowed_origins };
  }
}
