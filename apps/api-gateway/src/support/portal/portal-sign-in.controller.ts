import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, redeemPortalLink, requestPortalLink } from '@crm/contracts';
import { Public } from '@crm/observability';
import { ApiProblem, ApiZodResponse, ZodValidationPipe } from '@crm/service-kit';
import { z } from 'zod';
import { TokenService } from '../../auth/tokens/token.service';
import { ServiceBus } from '../../edge/service-bus';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { PortalSessionBody, portalSessionBodySchema, portalSessionSchema, SignInLinkBody, signInLinkBodySchema } from './portal.dto';

/** Who the gateway says calls for an anonymous portal visitor: no tenant of its own (the service takes it from the request or the link), no role. */
const PORTAL_VISITOR: Actor = { tenantId: 'public', userId: 'portal-visitor', roles: [] };

/**
 * Signing in to the customer portal, without a password: the customer asks for a one-time link
 * (emailed by the support-tickets service, only to an address with tickets there), then trades
 * the link's token for a portal session. Public, counted per IP by the rate-limit guard.
 */
@Public()
@NoIdempotencyStorage()
@Controller('api/v1/portal')
export class PortalSignInController {
  constructor(
    private readonly bus: ServiceBus,
    private readonly tokens: TokenService,
  ) {}

  @ApiOperation({ operationId: 'requestPortalSignInLink', summary: "Email a one-time sign-in link to the tenant's portal (public; 202 whether or not the address is known)" })
  @ApiZodResponse(202, z.object({ accepted: z.literal(true) }))
  @ApiProblem(429, 'Too many requests from this address; try later (Retry-After).')
  @Post('sign-in-links')
  @HttpCode(202)
  requestLink(@Body(new ZodValidationPipe(signInLinkBodySchema)) { tenantId, email }: SignInLinkBody) {
    return this.bus.call(requestPortalLink, { tenantId, email }, PORTAL_VISITOR);
  }

  @ApiOperation({ operationId: 'openPortalSession', summary: "Trade a sign-in link's token (once, within 15 minutes) for a portal access token (public)" })
  @ApiZodResponse(201, portalSessionSchema)
  @ApiProblem(401, 'The link is unknown, used or expired.')
  @Post('sessions')
  @HttpCode(201)
  async openSession(@Body(new ZodValidationPipe(portalSessionBodySchema)) { token }: PortalSessionBody) {
    const { tenantId, email } = await this.bus.call(redeemPortalLink, { token }, PORTAL_VISITOR);
    const { accessToken, expiresIn } = await this.tokens.issuePortalToken(tenantId, email);
    return { accessToken, tokenType: 'Bearer' as const, expiresIn };
  }
}
