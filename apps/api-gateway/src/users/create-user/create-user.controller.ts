import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { CreateUserDto, createUserSchema } from './create-user.dto';
import { CreateUserService } from './create-user.service';

@Controller('api/v1/users')
export class CreateUserController {
  constructor(private readonly createUserService: CreateUserService) {}

  @ApiOperation({ operationId: 'createUser', summary: 'Add a user to your organisation' })
  @Post()
  @HttpCode(201)
  @RequirePermission('users', 'create')
  create(@CurrentActor() actor: Actor, @Body(new ZodValidationPipe(createUserSchema)) body: CreateUserDto) {
    return this.createUserService.create(actor, body);
  }
}
