import { Controller, Get, Header } from '@nestjs/common';
import { NotRateLimited, Public } from '../public.decorator';
import { register } from './metrics.registry';

@Public()
@NotRateLimited()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  scrape(): Promise<string> {
    return register.metrics();
  }
}
