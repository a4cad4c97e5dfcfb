import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { Public } from '@crm/observability';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { ZodValidationPipe } from '../../http/zod-validation.pipe';
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
  @HttpCode(200)
  login(@Body(new ZodValidationPipe(loginSchema)) body: LoginDto, @Ip() ip: string) {
    return this.loginService.login(body, ip);
  }
}
