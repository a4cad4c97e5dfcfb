import { Controller } from '@nestjs/common';
import { DomainError, RpcRequest, submitSupportForm, supportFormOrigins } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { CreateOwnTicketService } from '../../portal/create-own-ticket/create-own-ticket.service';
import { SupportFormRepository } from '../support-form.repository';
import { noActiveForm } from '../support-form.mapper';

const SUBMIT_WHY = "the support web form: an anonymous web page posts it; the tenant is the one whose active form the unguessable form key names";
const ORIGINS_WHY = "the support web form's CORS preflight: answers only the allowed origins of the active form the key names";

/**
 * A web page's "contact support" form: a ticket of channel web for the form's tenant and group,
 * the sender its requester by address (so they can follow it in the portal). A filled honeypot is
 * answered like a success and creates nothing: a bot learns nothing from the answer.
 */
@Controller()
export class SubmitSupportFormHandler {
  constructor(
    private readonly forms: SupportFormRepository,
    private readonly tickets: CreateOwnTicketService,
  ) {}

  @OnRpc(submitSupportForm, { scope: 'public', why: SUBMIT_WHY })
  async submit({ formKey, origin, submission }: RpcRequest<typeof submitSupportForm>) {
    const form = await this.forms.activeByKey(formKey);
    if (!form) throw noActiveForm();
    if (origin && !form.allowed_origins.includes(origin.toLowerCase())) throw new DomainError('FORBIDDEN', 'This form may not be posted from that origin.');
    if (submission.website) return { ticketNumber: null, allowedOrigins: form.allowed_origins };
    const ticket = await this.tickets.create(form.tenant_id, submission.email, {
      subject: submission.subject,
      body: submission.body,
      channel: 'web',
      groupId: form.group_id,
      requesterName: submission.name,
    });
    return { ticketNumber: ticket.number, allowedOrigins: form.allowed_origins };
  }

  @OnRpc(supportFormOrigins, { scope: 'public', why: ORIGINS_WHY })
  async origins({ formKey }: RpcRequest<typeof supportFormOrigins>) {
    const form = await this.forms.activeByKey(formKey);
    if (!form) throw noActiveForm();
    return { allowedOrigins: form.allowed_origins };
  }
}
