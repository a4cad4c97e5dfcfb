import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Public } from '@crm/observability';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { PublicRateLimit } from '../../http/rate-limit/public-rate-limit.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodBody } from '@crm/service-kit';
import { SignupDto, signupSchema } from './signup.dto';
import { SignupService } from './signup.service';

@Public()
@NoIdempotencyStorage()
@PublicRateLimit('signup')
@Controller('api/v1/auth')
export class SignupController {
  constructor(private readonly signupService: SignupService) {}

  @ApiOperation({ operationId: 'signup', summary: 'Create an organisation and its first admin' })
  @Post('signup')
  @ApiZodBody(signupSchema)
  @HttpCode(201)
  signup(@Body(new ZodValidationPipe(signupSchema)) body: SignupDto) {
    return this.signupService.signup(body);
  }
}
