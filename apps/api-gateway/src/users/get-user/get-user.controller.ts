import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { UserIdParams, userIdParamsSchema } from '../user-id.params';
import { GetUserService } from './get-user.service';

@Controller('api/v1/users')
export class GetUserController {
  constructor(private readonly getUserService: GetUserService) {}

  @ApiOperation({ operationId: 'getUser', summary: 'Get a user' })
  @Get(':id')
  @RequirePermission('users', 'read')
  get(@CurrentActor() actor: Actor, @Param(new ZodValidationPipe(userIdParamsSchema)) { id }: UserIdParams) {
    return this.getUserService.get(actor, id);
  }
}
