import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Public } from '@crm/observability';
import { NoIdempotencyStorage } from '../../http/idempotency/no-idempotency-storage.decorator';
import { ZodValidationPipe } from '../../http/zod-validation.pipe';
import { ApiZodBody } from '../../openapi/zod-openapi.decorators';
import { RefreshDto, refreshSchema } from './refresh.dto';
import { RefreshService } from './refresh.service';

@Public()
@NoIdempotencyStorage()
@Controller('api/v1/auth')
export class RefreshController {
  constructor(private readonly refreshService: RefreshService) {}

  @Post('refresh')
  @ApiZodBody(refreshSchema)
  @HttpCode(200)
  refresh(@Body(new ZodValidationPipe(refreshSchema)) body: RefreshDto) {
    return this.refreshService.refresh(body);
  }
}
