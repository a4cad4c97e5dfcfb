import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Public } from '@crm/observability';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { PublicRateLimit } from '../../http/rate-limit/public-rate-limit.decorator';
import { ZodValidationPipe } from '../../http/zod-validation.pipe';
import { ApiZodBody } from '../../openapi/zod-openapi.decorators';
import { SignupDto, signupSchema } from './signup.dto';
import { SignupService } from './signup.service';

@Public()
@NoIdempotencyStorage()
@PublicRateLimit('signup')
@Controller('api/v1/auth')
export class SignupController {
  constructor(private readonly signupService: SignupService) {}

  @Post('signup')
  @ApiZodBody(signupSchema)
  @HttpCode(201)
  signup(@Body(new ZodValidationPipe(signupSchema)) body: SignupDto) {
    return this.signupService.signup(body);
  }
}
