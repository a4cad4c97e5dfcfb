import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { UserIdParams, userIdParamsSchema } from '../user-id.params';
import { DeactivateUserService } from './deactivate-user.service';

/** A state change with side effects (sessions revoked), hence an action, not DELETE: the user is kept. */
@Controller('api/v1/users')
export class DeactivateUserController {
  constructor(private readonly deactivateUserService: DeactivateUserService) {}

  @ApiOperation({ operationId: 'deactivateUser', summary: 'Deactivate a user (ends their sessions)' })
  @Post(':id/deactivate')
  @HttpCode(200)
  @RequirePermission('users', 'update')
  deactivate(@CurrentActor() actor: Actor, @Param(new ZodValidationPipe(userIdParamsSchema)) { id }: UserIdParams) {
    return this.deactivateUserService.deactivate(actor, id);
  }
}
