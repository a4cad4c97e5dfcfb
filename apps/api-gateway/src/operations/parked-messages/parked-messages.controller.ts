import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '../../http/zod-validation.pipe';
import { ApiZodBody, ApiZodParams, ApiZodQuery, ApiZodResponse } from '../../openapi/zod-openapi.decorators';
import {
  ListParkedQuery,
  listParkedQuerySchema,
  parkedMessagePageSchema,
  RedriveParkedDto,
  redriveParkedSchema,
  redriveResultSchema,
  ServiceParams,
  serviceParamsSchema,
} from './parked-messages.dto';
import { ParkedMessagesService } from './parked-messages.service';

@Controller('api/v1/operations/services/:service/parked')
@ApiZodParams(serviceParamsSchema)
export class ParkedMessagesController {
  constructor(private readonly parkedMessages: ParkedMessagesService) {}

  /** Reads without removing: listing never changes the queue. */
  @Get()
  @RequirePermission('operations', 'read')
  @ApiZodQuery(listParkedQuerySchema)
  @ApiZodResponse(200, parkedMessagePageSchema)
  list(
    @Param(new ZodValidationPipe(serviceParamsSchema)) { service }: ServiceParams,
    @Query(new ZodValidationPipe(listParkedQuerySchema)) { limit }: ListParkedQuery,
  ) {
    return this.parkedMessages.list(service, limit);
  }

  /** Sends parked messages back to the service's work queue with a fresh retry budget: those named, or all. */
  @Post('redrive')
  @HttpCode(200)
  @RequirePermission('operations', 'manage')
  @ApiZodBody(redriveParkedSchema)
  @ApiZodResponse(200, redriveResultSchema)
  redrive(
    @Param(new ZodValidationPipe(serviceParamsSchema)) { service }: ServiceParams,
    @Body(new ZodValidationPipe(redriveParkedSchema)) { ids }: RedriveParkedDto,
  ) {
    return this.parkedMessages.redrive(service, ids);
  }
}
