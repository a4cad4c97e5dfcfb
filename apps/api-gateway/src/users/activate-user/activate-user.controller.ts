import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { UserIdParams, userIdParamsSchema } from '../user-id.params';
import { ActivateUserService } from './activate-user.service';

@Controller('api/v1/users')
export class ActivateUserController {
  constructor(private readonly activateUserService: ActivateUserService) {}

  @ApiOperation({ operationId: 'activateUser', summary: 'Reactivate a deactivated user' })
  @Post(':id/activate')
  @HttpCode(200)
  @RequirePermission('users', 'update')
  activate(@CurrentActor() actor: Actor, @Param(new ZodValidationPipe(userIdParamsSchema)) { id }: UserIdParams) {
    return this.activateUserService.activate(actor, id);
  }
}
