import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Public } from '@crm/observability';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiProblem, problemResponse } from '@crm/service-kit';
import { ApiZodBody } from '@crm/service-kit';
import { LoginDto, loginSchema } from './login.dto';
import { LoginService } from './login.service';

@Public()
@NoIdempotencyStorage()
@Controller('api/v1/auth')
export class LoginController {
  constructor(private readonly loginService: LoginService) {}

  @ApiOperation({ operationId: 'login', summary: 'Log in with email and password' })
  @ApiProblem(401, 'Wrong email or password (the same answer for both).')
  @Post('login')
  @ApiZodBody(loginSchema)
  @ApiResponse({
    status: 409,
    ...problemResponse(
      'ORGANIZATION_REQUIRED (`code`): the email and password match accounts in several organisations; `organizations` lists them ({slug, name}); repeat with `organization`.',
    ),
  })
  @HttpCode(200)
  login(@Body(new ZodValidationPipe(loginSchema)) body: LoginDto, @Ip() ip: string) {
    return this.loginService.login(body, ip);
  }
}
