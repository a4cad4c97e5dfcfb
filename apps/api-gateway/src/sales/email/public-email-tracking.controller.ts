import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, recordEmailEngagement } from '@crm/contracts';
import { Public } from '@crm/observability';
import { ApiProblem, ZodValidationPipe } from '@crm/service-kit';
import { ServiceBus } from '../../edge/service-bus';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { ClickQuery, clickQuerySchema, trackingTokenParamSchema } from './email.dto';

/** Who the gateway says calls for a mail client loading a pixel or following a link: no tenant, no role (the signed token names the send). */
const MAIL_CLIENT: Actor = { tenantId: 'public', userId: 'email-tracking', roles: [] };
/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * The open pixel and click redirect of tracked marketing mail: public (rate-limited per IP like
 * every @Public() route), the signed token the only credential; the service records the first of
 * each and answers where a click goes, which only the signed link can be (no open redirect).
 */
@Public()
@NoIdempotencyStorage()
@Controller('api/v1/public/email')
export class PublicEmailTrackingController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'emailClick', summary: 'Click redirect of a tracked email (public: the signed token is the credential); 302 to the link' })
  @ApiResponse({ status: 302, description: 'To the link the message held.' })
  @ApiProblem(400, 'The token is not a valid tracking link for this URL.')
  @Get('click/:token')
  @Header('cache-control', 'no-store')
  async click(
    @Param('token', new ZodValidationPipe(trackingTokenParamSchema)) token: string,
    @Query(new ZodValidationPipe(clickQuerySchema)) { u }: ClickQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { url } = await this.bus.call(recordEmailEngagement, { token, url: u }, MAIL_CLIENT);
    void reply.status(302).header('location', url ?? u);
  }

  @ApiOperation({ operationId: 'emailOpen', summary: 'Open pixel of a tracked email (public: the signed token is the credential); a 1×1 GIF' })
  @ApiProduces('image/gif')
  @ApiResponse({ status: 200, description: 'A transparent 1×1 GIF.', content: { 'image/gif': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblem(400, 'The token is not a valid tracking link.')
  @Get('open/:token')
  @Header('content-type', 'image/gif')
  @Header('cache-control', 'no-store')
  async open(@Param('token', new ZodValidationPipe(trackingTokenParamSchema)) token: string): Promise<Buffer> {
    await this.bus.call(recordEmailEngagement, { token }, MAIL_CLIENT);
    return PIXEL;
  }
}
