import { DynamicModule, Module } from '@nestjs/common';
import { HttpMetricsHook } from './http-metrics.hook';
import { setUpDefaultMetrics } from './metrics.registry';

export interface MetricsOptions {
  /** Added as the `service` label on every metric. */
  service: string;
}

/**
 * Prometheus metrics: Node defaults plus HTTP request durations. Served at GET /metrics on the
 * internal port only (InternalHttpServer), never on the client port.
 */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsOptions): DynamicModule {
    setUpDefaultMetrics(options.service);
    return {
      module: MetricsModule,
      providers: [HttpMetricsHook],
    };
  }
}
