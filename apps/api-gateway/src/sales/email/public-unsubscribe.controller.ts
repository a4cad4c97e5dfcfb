import { Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { Actor, unsubscribeByToken } from '@crm/contracts';
import { Public } from '@crm/observability';
import { ApiProblem, ApiZodResponse, ZodValidationPipe } from '@crm/service-kit';
import { ServiceBus } from '../../edge/service-bus';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { unsubscribeTokenParamSchema } from './email.dto';

/** Who the gateway says calls for a mail client following a List-Unsubscribe link: no tenant, no role (the signed token names them). */
const MAIL_CLIENT: Actor = { tenantId: 'public', userId: 'unsubscribe-link', roles: [] };

/** The confirmation page a person sees when they open the link in a browser: one button, which posts (a GET changes nothing: link scanners open links). */
const CONFIRM_PAGE = (token: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Unsubscribe</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem">
<h1>Unsubscribe</h1><p>Stop receiving offers and newsletters at this address? Messages about your orders still reach you.</p>
<form method="post" action="/api/v1/public/unsubscribe/${token}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
</body></html>`;

/**
 * The List-Unsubscribe link of every marketing message (RFC 8058): a mail client POSTs
 * `List-Unsubscribe=One-Click` to it with no credentials; a person opening it gets a page that
 * asks first. Public (rate-limited per IP like every @Public() route); the token is signed.
 */
@Public()
@NoIdempotencyStorage()
@Controller('api/v1/public/unsubscribe/:token')
export class PublicUnsubscribeController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'unsubscribeOneClick', summary: 'One-click unsubscribe (RFC 8058; public: the signed token is the credential)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiZodResponse(200, unsubscribeByToken.response)
  @ApiProblem(400, 'The token is not a valid unsubscribe link.')
  @ApiProblem(404, 'The contact no longer exists.')
  @Post()
  @HttpCode(200)
  unsubscribe(@Param('token', new ZodValidationPipe(unsubscribeTokenParamSchema)) token: string) {
    return this.bus.call(unsubscribeByToken, { token }, MAIL_CLIENT);
  }

  @ApiOperation({ operationId: 'unsubscribePage', summary: 'The confirmation page of an unsubscribe link (changes nothing; its button posts)' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'An HTML page with one button that unsubscribes.', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiProblem(400, 'The token is not a valid unsubscribe link.')
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  page(@Param('token', new ZodValidationPipe(unsubscribeTokenParamSchema)) token: string): string {
    return CONFIRM_PAGE(token);
  }
}
