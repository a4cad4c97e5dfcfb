import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth.types';
import { CurrentUser } from '../guard/current-user.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { MeService } from './me.service';

@Controller('api/v1/auth')
export class MeController {
  constructor(private readonly meService: MeService) {}

  @ApiOperation({ operationId: 'getMe', summary: 'The caller: user, roles and organisation' })
  @Get('me')
  @RequirePermission('session', 'read')
  me(@CurrentUser() user: AuthenticatedUser) {
    return this.meService.me(user);
  }
}
