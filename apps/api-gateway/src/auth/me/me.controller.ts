import { Controller, Get } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth.types';
import { CurrentUser } from '../guard/current-user.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { MeService } from './me.service';

@Controller('api/v1/auth')
export class MeController {
  constructor(private readonly meService: MeService) {}

  @Get('me')
  @RequirePermission('session', 'read')
  me(@CurrentUser() user: AuthenticatedUser) {
    return this.meService.me(user);
  }
}
