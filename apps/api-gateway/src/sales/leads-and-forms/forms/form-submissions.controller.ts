import { Body, Controller, Headers, HttpCode, Options, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Actor, leadFormOrigins, submitLeadForm } from '@crm/contracts';
import { Public } from '@crm/observability';
import type { FastifyReply } from 'fastify';
import { allowFormOrigin, allowFormPreflight } from '../../../http/allow-form-origin';
import { ServiceBus } from '../../../edge/service-bus';
import { NoIdempotencyStorage } from '../../../http/idempotency/no-idempotency-storage.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiProblem } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';
import { formKeyParamSchema, formSubmissionAcceptedSchema, FormSubmissionBody, formSubmissionBodySchema } from './forms.dto';

/**
 * Who the gateway says calls for an anonymous web page: no tenant of its own (the service's
 * handlers are public and take the tenant from the form key) and no role.
 */
const WEB_FORM_CALLER: Actor = { tenantId: 'public', userId: 'web-to-lead-form', roles: [] };

/**
 * The public web-to-lead route: any web page posts a form here (no token; counted per client IP
 * by the rate-limit guard like every @Public() route). CORS per form: a browser may read the
 * answer (and send the JSON post at all) only from an origin the form allows.
 */
@Public()
@NoIdempotencyStorage()
@Controller('api/v1/forms/:formKey/submissions')
export class FormSubmissionsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({
    operationId: 'submitForm',
    summary: 'Submit a web-to-lead form (public; rate-limited per IP; `website` is a honeypot and must stay empty)',
  })
  @ApiZodResponse(202, formSubmissionAcceptedSchema)
  @ApiProblem(403, 'The request came from a page whose origin the form does not allow.')
  @ApiProblem(404, 'No active form has this key.')
  @ApiProblem(429, 'Too many submissions from this address; try later (Retry-After).')
  @Post()
  @HttpCode(202)
  async submit(
    @Param('formKey', new ZodValidationPipe(formKeyParamSchema)) formKey: string,
    @Body(new ZodValidationPipe(formSubmissionBodySchema)) submission: FormSubmissionBody,
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { allowedOrigins } = await this.bus.call(submitLeadForm, { formKey, origin: origin ?? null, submission }, WEB_FORM_CALLER, {
      bodyAt: 'submission',
    });
    allowFormOrigin(reply, origin, allowedOrigins);
    return { accepted: true as const };
  }

  @ApiOperation({ operationId: 'preflightFormSubmission', summary: "CORS preflight of a form's submissions (public): allowed only for the form's origins" })
  @ApiResponse({ status: 204, description: 'Access-Control-Allow-* headers when the Origin is one the form allows; none otherwise.' })
  @ApiProblem(404, 'No active form has this key.')
  @Options()
  @HttpCode(204)
  async preflight(
    @Param('formKey', new ZodValidationPipe(formKeyParamSchema)) formKey: string,
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { allowedOrigins } = await this.bus.call(leadFormOrigins, { formKey }, WEB_FORM_CALLER);
    if (allowFormOrigin(reply, origin, allowedOrigins)) allowFormPreflight(reply);
  }
}
