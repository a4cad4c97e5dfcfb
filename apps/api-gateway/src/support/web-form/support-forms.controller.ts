import { Body, Controller, Get, Headers, HttpCode, Options, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Actor, createSupportForm, listSupportForms, setSupportFormActive, submitSupportForm, supportFormInputSchema, supportFormOrigins, supportFormSubmissionSchema } from '@crm/contracts';
import { Public } from '@crm/observability';
import { ApiProblem, ApiZodResponse, UuidParamPipe, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { allowFormOrigin, allowFormPreflight } from '../../http/allow-form-origin';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';

const formKeyParamSchema = z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, 'must be a form key');
const activeBodySchema = z.object({ active: z.boolean() });
/** Who the gateway says calls for an anonymous web page (the service takes the tenant from the form key). */
const WEB_PAGE: Actor = { tenantId: 'public', userId: 'support-web-form', roles: [] };

/** A tenant's "contact support" web forms, as managers and admins set them up. */
@Controller('api/v1/support-forms')
export class SupportFormsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listSupportForms', summary: 'List the support web forms (with their public keys)' })
  @ApiZodResponse(200, listSupportForms.response)
  @Get()
  @RequirePermission('support-forms', 'read')
  list(@CurrentActor() actor: Actor) {
    return this.bus.relay(listSupportForms, {}, actor);
  }

  @ApiOperation({ operationId: 'createSupportForm', summary: 'Add a support web form: its group and the origins whose pages may post it' })
  @ApiZodResponse(201, createSupportForm.response)
  @Post()
  @HttpCode(201)
  @RequirePermission('support-forms', 'create')
  create(@Body(new ZodValidationPipe(supportFormInputSchema)) form: z.infer<typeof supportFormInputSchema>, @CurrentActor() actor: Actor) {
    return this.bus.call(createSupportForm, { form }, actor, { bodyAt: 'form' });
  }

  @ApiOperation({ operationId: 'setSupportFormActive', summary: 'Switch a support web form on or off' })
  @ApiZodResponse(200, setSupportFormActive.response)
  @Patch(':id')
  @RequirePermission('support-forms', 'update')
  setActive(@Param('id', new UuidParamPipe()) id: string, @Body(new ZodValidationPipe(activeBodySchema)) { active }: z.infer<typeof activeBodySchema>, @CurrentActor() actor: Actor) {
    return this.bus.call(setSupportFormActive, { id, active }, actor);
  }
}

/**
 * The public route of a support web form: any web page posts it (no token; counted per client IP
 * by the rate-limit guard like every @Public() route; `website` is a honeypot). CORS per form.
 */
@Public()
@NoIdempotencyStorage()
@Controller('api/v1/support-forms/:formKey/submissions')
export class SupportFormSubmissionsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'submitSupportForm', summary: 'Send a support request through a web form (public; rate-limited per IP; `website` must stay empty)' })
  @ApiZodResponse(202, z.object({ accepted: z.literal(true) }))
  @ApiProblem(403, 'The request came from a page whose origin the form does not allow.')
  @ApiProblem(404, 'No active support form has this key.')
  @ApiProblem(429, 'Too many submissions from this address; try later (Retry-After).')
  @Post()
  @HttpCode(202)
  async submit(
    @Param('formKey', new ZodValidationPipe(formKeyParamSchema)) formKey: string,
    @Body(new ZodValidationPipe(supportFormSubmissionSchema)) submission: z.infer<typeof supportFormSubmissionSchema>,
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { allowedOrigins } = await this.bus.call(submitSupportForm, { formKey, origin: origin ?? null, submission }, WEB_PAGE, { bodyAt: 'submission' });
    allowFormOrigin(reply, origin, allowedOrigins);
    return { accepted: true as const };
  }

  @ApiOperation({ operationId: 'preflightSupportFormSubmission', summary: "CORS preflight of a support form's submissions (public): allowed only for the form's origins" })
  @ApiResponse({ status: 204, description: 'Access-Control-Allow-* headers when the Origin is one the form allows; none otherwise.' })
  @ApiProblem(404, 'No active support form has this key.')
  @Options()
  @HttpCode(204)
  async preflight(@Param('formKey', new ZodValidationPipe(formKeyParamSchema)) formKey: string, @Headers('origin') origin: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const { allowedOrigins } = await this.bus.call(supportFormOrigins, { formKey }, WEB_PAGE);
    if (allowFormOrigin(reply, origin, allowedOrigins)) allowFormPreflight(reply);
  }
}
