import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { RequirePermission } from '../../authz/require-permission.decorator';
import type { AuthenticatedUser } from '../auth.types';
import { CurrentUser } from '../guard/current-user.decorator';
import { AccessTokenDenylist } from '../tokens/access-token-denylist';
import { TokenService } from '../tokens/token.service';

@Controller('api/v1/auth')
export class LogoutController {
  constructor(
    private readonly denylist: AccessTokenDenylist,
    private readonly tokens: TokenService,
  ) {}

  /**
   * Ends the session: the presented access token is refused from now on, and so are the
   * session's refresh tokens and every other access token it issued (its `sid`).
   */
  @ApiOperation({ operationId: 'logout', summary: 'End this session' })
  @Post('logout')
  @HttpCode(204)
  @RequirePermission('session', 'delete')
  async logout(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.denylist.revoke(user.jti, user.exp);
    if (user.sid) await this.tokens.endSession(user.userId, user.sid);
  }

  /** Ends every session of the caller: all refresh tokens revoked, all access tokens issued so far refused at once. */
  @ApiOperation({ operationId: 'logoutAll', summary: "End every session of the caller's account" })
  @Post('logout-all')
  @HttpCode(204)
  @RequirePermission('session', 'delete')
  async logoutAll(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.tokens.endAllSessions(user.userId);
  }
}
