import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParamPipe, ZodValidationPipe } from '@crm/service-kit';
import { CurrentClient } from '../../erp-auth/current-client.decorator';
import type { ErpClient } from '../../erp-auth/erp-client';
import { RequireScope } from '../../erp-auth/require-scope.decorator';
import { ManageSubscriptionsService } from './manage-subscriptions.service';
import { type CreateWebhookBody, createWebhookBodySchema, type UpdateWebhookBody, updateWebhookBodySchema } from './webhook-subscription.dto';

@ApiTags('webhooks')
@RequireScope('webhooks:manage')
@Controller('erp/v1/webhooks')
export class ManageSubscriptionsHttpController {
  constructor(private readonly service: ManageSubscriptionsService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to change types; the signing secret (whsec_...) is shown once' })
  create(@Body(new ZodValidationPipe(createWebhookBodySchema)) body: CreateWebhookBody, @CurrentClient() client: ErpClient) {
    return this.service.create(client, body);
  }

  @Get()
  list(@CurrentClient() client: ErpClient) {
    return this.service.list(client);
  }

  @Get(':id')
  get(@Param('id', UuidParamPipe) id: string, @CurrentClient() client: ErpClient) {
    return this.service.get(client, id);
  }

  @Patch(':id')
  update(@Param('id', UuidParamPipe) id: string, @Body(new ZodValidationPipe(updateWebhookBodySchema)) body: UpdateWebhookBody, @CurrentClient() client: ErpClient) {
    return this.service.update(client, id, body);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret, shown once' })
  rotate(@Param('id', UuidParamPipe) id: string, @CurrentClient() client: ErpClient) {
    return this.service.rotateSecret(client, id);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id', UuidParamPipe) id: string, @CurrentClient() client: ErpClient) {
    return this.service.delete(client, id);
  }
}
