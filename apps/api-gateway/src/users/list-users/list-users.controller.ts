import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { ListUsersQuery, listUsersQuerySchema } from './list-users.dto';
import { ListUsersService } from './list-users.service';

@Controller('api/v1/users')
export class ListUsersController {
  constructor(private readonly listUsersService: ListUsersService) {}

  @ApiOperation({ operationId: 'listUsers', summary: "List your organisation's users" })
  @Get()
  @RequirePermission('users', 'read')
  list(@CurrentActor() actor: Actor, @Query(new ZodValidationPipe(listUsersQuerySchema)) query: ListUsersQuery) {
    return this.listUsersService.list(actor, query);
  }
}
