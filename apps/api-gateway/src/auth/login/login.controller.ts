import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { Public } from '@crm/observability';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { ZodValidationPipe } from '../../http/zod-validation.pipe';
import { problemResponse } from '../../openapi/problem.schema';
import { ApiZodBody } from '../../openapi/zod-openapi.decorators';
import { LoginDto, loginSchema } from './login.dto';
import { LoginService } from './login.service';

@Public()
@NoIdempotencyStorage()
@Controller('api/v1/auth')
export class LoginController {
  constructor(private readonly loginService: LoginService) {}

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
