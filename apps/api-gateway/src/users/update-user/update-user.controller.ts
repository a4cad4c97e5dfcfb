import { Body, Controller, Param, Patch } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { UserIdParams, userIdParamsSchema } from '../user-id.params';
import { UpdateUserDto, updateUserSchema } from './update-user.dto';
import { UpdateUserService } from './update-user.service';

@Controller('api/v1/users')
export class UpdateUserController {
  constructor(private readonly updateUserService: UpdateUserService) {}

  @ApiOperation({ operationId: 'updateUser', summary: "Update a user's name or roles" })
  @Patch(':id')
  @RequirePermission('users', 'update')
  update(
    @CurrentActor() actor: Actor,
    @Param(new ZodValidationPipe(userIdParamsSchema)) { id }: UserIdParams,
    @Body(new ZodValidationPipe(updateUserSchema)) body: UpdateUserDto,
  ) {
    return this.updateUserService.update(actor, id, body);
  }
}
