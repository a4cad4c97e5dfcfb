import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodBody, ApiZodParams, ApiZodQuery, ApiZodResponse } from '@crm/service-kit';
import {
  ListParkedQuery,
  listParkedQuerySchema,
  parkedMessageDetailSchema,
  parkedMessagePageSchema,
  ParkedMessageParams,
  parkedMessageParamsSchema,
  RedriveParkedDto,
  redriveParkedSchema,
  redriveResultSchema,
  ServiceParams,
  serviceParamsSchema,
} from './parked-messages.dto';
import { ParkedMessagesService } from './parked-messages.service';

/**
 * The platform operator's view: every tenant's parked messages. The listing shows the envelope
 * and the error only; the body (personal data) only when one message is asked for by id.
 */
@Controller('api/v1/platform/services/:service/parked')
@ApiZodParams(serviceParamsSchema)
export class PlatformParkedMessagesController {
  constructor(private readonly parkedMessages: ParkedMessagesService) {}

  @ApiOperation({ operationId: 'platformListParkedMessages', summary: "List a service's parked messages, every organisation" })
  @Get()
  @RequirePermission('platform-operations', 'read')
  @ApiZodQuery(listParkedQuerySchema)
  @ApiZodResponse(200, parkedMessagePageSchema)
  list(
    @Param(new ZodValidationPipe(serviceParamsSchema)) { service }: ServiceParams,
    @Query(new ZodValidationPipe(listParkedQuerySchema)) { limit }: ListParkedQuery,
  ) {
    return this.parkedMessages.list('all-tenants', service, limit);
  }

  @ApiOperation({ operationId: 'platformGetParkedMessage', summary: 'Get a parked message, any organisation' })
  @Get(':id')
  @RequirePermission('platform-operations', 'read')
  @ApiZodParams(parkedMessageParamsSchema)
  @ApiZodResponse(200, parkedMessageDetailSchema)
  get(@Param(new ZodValidationPipe(parkedMessageParamsSchema)) { service, id }: ParkedMessageParams) {
    return this.parkedMessages.get('all-tenants', service, id);
  }

  @ApiOperation({ operationId: 'platformRedriveParkedMessages', summary: 'Redrive parked messages, any organisation' })
  @Post('redrive')
  @HttpCode(200)
  @RequirePermission('platform-operations', 'manage')
  @ApiZodBody(redriveParkedSchema)
  @ApiZodResponse(200, redriveResultSchema)
  redrive(
    @Param(new ZodValidationPipe(serviceParamsSchema)) { service }: ServiceParams,
    @Body(new ZodValidationPipe(redriveParkedSchema)) { ids }: RedriveParkedDto,
  ) {
    return this.parkedMessages.redrive('all-tenants', service, ids);
  }
}
