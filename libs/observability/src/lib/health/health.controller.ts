import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { NotRateLimited, Public } from '../public.decorator';
import { Readiness } from './readiness.service';

/**
 * Probes on the client port: the overall status only (200 / 503), never which dependency failed,
 * its host or its error. The details are on the internal port (InternalHttpServer).
 */
@Public()
@NotRateLimited()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  async live() {
    await this.readiness.live();
    return { status: 'ok' };
  }

  /** Readiness: every dependency answers; 503 otherwise. */
  @Get('ready')
  async ready() {
    try {
      await this.readiness.check();
    } catch {
      throw new ServiceUnavailableException({ status: 'error' });
    }
    return { status: 'ok' };
  }
}
