import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../public.decorator';
import { register } from './metrics.registry';

@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  scrape(): Promise<string> {
    return register.metrics();
  }
}
