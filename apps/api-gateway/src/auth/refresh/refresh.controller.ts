import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Public } from '@crm/observability';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodBody } from '@crm/service-kit';
import { RefreshDto, refreshSchema } from './refresh.dto';
import { RefreshService } from './refresh.service';
import { ApiProblem } from '@crm/service-kit';

@Public()
@NoIdempotencyStorage()
@Controller('api/v1/auth')
export class RefreshController {
  constructor(private readonly refreshService: RefreshService) {}

  @ApiOperation({ operationId: 'refreshTokens', summary: 'Exchange a refresh token for new tokens' })
  @ApiProblem(401, 'The refresh token is invalid, expired or already used.')
  @Post('refresh')
  @ApiZodBody(refreshSchema)
  @HttpCode(200)
  refresh(@Body(new ZodValidationPipe(refreshSchema)) body: RefreshDto) {
    return this.refreshService.refresh(body);
  }
}
