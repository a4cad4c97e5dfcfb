import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { Actor, CSAT_RATINGS, getCsatSurvey, rateTicket } from '@crm/contracts';
import { Public } from '@crm/observability';
import { ApiProblem, ApiZodResponse, ZodValidationPipe } from '@crm/service-kit';
import { z } from 'zod';
import { ServiceBus } from '../../edge/service-bus';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';

/** Who the gateway says calls for a customer following a rating link: no tenant, no role (the signed token names them). */
const RATING_LINK: Actor = { tenantId: 'public', userId: 'csat-link', roles: [] };

/** The path's parameters as one object, so a bad token is named `token`. */
const tokenParamsSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/, 'is not a rating link') });
const pageQuerySchema = z.object({ rating: z.enum(CSAT_RATINGS).optional() });
const rateBodySchema = z.object({ rating: z.enum(CSAT_RATINGS), comment: z.string().trim().max(2_000).optional() });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a rating link opens: the ticket, the choice preselected, a comment box, one button that posts (a GET changes nothing). */
const RATING_PAGE = (token: string, survey: { ticketNumber: number; subject: string }, rating: string | undefined) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>How did we do?</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem">
<h1>How did we do?</h1><p>Your request #${survey.ticketNumber}: ${escapeHtml(survey.subject)}</p>
<form method="post" action="/api/v1/public/csat/${token}">
<p><label><input type="radio" name="rating" value="good"${rating !== 'bad' ? ' checked' : ''}> Good</label>
<label><input type="radio" name="rating" value="bad"${rating === 'bad' ? ' checked' : ''}> Bad</label></p>
<p><label>Anything to add? (optional)<br><textarea name="comment" rows="4" cols="40" maxlength="2000"></textarea></label></p>
<button type="submit">Send</button></form>
</body></html>`;

/**
 * The rating links of a solved ticket's survey email. Public (rate-limited per IP like every
 * @Public() route); the HMAC-signed token is the credential and names tenant and ticket.
 */
@Public()
@NoIdempotencyStorage()
@Controller('api/v1/public/csat/:token')
export class PublicCsatController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'csatPage', summary: 'The page a rating link opens (changes nothing; its button posts the rating)' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'An HTML page: the ticket, good or bad (preselected from ?rating), a comment box and a send button.', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiProblem(400, 'The token is not a rating link of ours.')
  @ApiProblem(404, 'The ticket no longer exists.')
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async page(@Param(new ZodValidationPipe(tokenParamsSchema)) { token }: z.infer<typeof tokenParamsSchema>, @Query(new ZodValidationPipe(pageQuerySchema)) { rating }: z.infer<typeof pageQuerySchema>): Promise<string> {
    const survey = await this.bus.call(getCsatSurvey, { token }, RATING_LINK);
    return RATING_PAGE(token, survey, rating ?? survey.rating ?? undefined);
  }

  @ApiOperation({ operationId: 'rateTicket', summary: 'Rate a solved request good or bad, with an optional comment (public: the signed token is the credential; again: changes it)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiZodResponse(200, rateTicket.response)
  @ApiProblem(400, 'The token is not a rating link of ours, or the rating is not good or bad.')
  @ApiProblem(404, 'The ticket no longer exists.')
  @ApiProblem(409, 'The request is open again: it can be rated once it is solved.')
  @Post()
  @HttpCode(200)
  rate(@Param(new ZodValidationPipe(tokenParamsSchema)) { token }: z.infer<typeof tokenParamsSchema>, @Body(new ZodValidationPipe(rateBodySchema)) { rating, comment }: z.infer<typeof rateBodySchema>) {
    return this.bus.call(rateTicket, { token, rating, comment: comment || null }, RATING_LINK);
  }
}
