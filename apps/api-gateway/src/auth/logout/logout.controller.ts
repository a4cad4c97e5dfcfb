import { Controller, HttpCode, Post } from '@nestjs/common';
import { RequirePermission } from '../../authz/require-permission.decorator';
import type { AuthenticatedUser } from '../auth.types';
import { CurrentUser } from '../guard/current-user.decorator';
import { AccessTokenDenylist } from '../tokens/access-token-denylist';

@Controller('api/v1/auth')
export class LogoutController {
  constructor(private readonly denylist: AccessTokenDenylist) {}

  /** The presented access token is refused from now on (until it would have expired anyway). */
  @Post('logout')
  @HttpCode(204)
  @RequirePermission('session', 'delete')
  async logout(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.denylist.revoke(user.jti, user.exp);
  }
}
