import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Public } from '@crm/observability';
import type { AuthenticatedUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/guard/current-user.decorator';
import { AccessTokenDenylist } from '../auth/tokens/access-token-denylist';
import { RequirePermission } from '../authz/require-permission.decorator';
import { NoIdempotencyStorage } from '../http/idempotency/no-idempotency-storage.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodBody, ApiZodResponse } from '@crm/service-kit';
import { OperatorLoginDto, operatorLoginSchema, operatorTokenSchema } from './operator-auth.dto';
import { OperatorLoginService } from './operator-login.service';
import { ApiProblem } from '@crm/service-kit';

/**
 * The platform operator's session: sign in (an access token only) and sign out. There is no
 * route that creates an operator: `npm run operator:create` does, on the gateway's database.
 */
@Controller('api/v1/platform/auth')
export class OperatorAuthController {
  constructor(
    private readonly loginService: OperatorLoginService,
    private readonly denylist: AccessTokenDenylist,
  ) {}

  @Public()
  @NoIdempotencyStorage()
  @ApiOperation({ operationId: 'operatorLogin', summary: 'Log in as the platform operator' })
  @ApiProblem(401, 'Wrong email or password.')
  @Post('login')
  @HttpCode(200)
  @ApiZodBody(operatorLoginSchema)
  @ApiZodResponse(200, operatorTokenSchema)
  login(@Body(new ZodValidationPipe(operatorLoginSchema)) body: OperatorLoginDto, @Ip() ip: string) {
    return this.loginService.login(body, ip);
  }

  /** The presented operator token is refused from now on. */
  @ApiOperation({ operationId: 'operatorLogout', summary: "End the platform operator's session" })
  @Post('logout')
  @HttpCode(204)
  @RequirePermission('platform-session', 'delete')
  async logout(@CurrentUser() operator: AuthenticatedUser): Promise<void> {
    await this.denylist.revoke(operator.jti, operator.exp);
  }
}
