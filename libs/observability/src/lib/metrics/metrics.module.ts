import { DynamicModule, Module } from '@nestjs/common';
import { HttpMetricsHook } from './http-metrics.hook';
import { MetricsController } from './metrics.controller';
import { setUpDefaultMetrics } from './metrics.registry';

export interface MetricsOptions {
  /** Added as the `service` label on every metric. */
  service: string;
}

/** Prometheus metrics at GET /metrics: Node defaults plus HTTP request durations. */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsOptions): DynamicModule {
    setUpDefaultMetrics(options.service);
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [HttpMetricsHook],
    };
  }
}
