import { collectDefaultMetrics, register } from 'prom-client';

/** The one registry every library adds its metrics to (prom-client's default). */
export { register };

/** Idempotent: prom-client throws if default metrics are registered twice (tests build many apps). */
export function setUpDefaultMetrics(service: string): void {
  register.setDefaultLabels({ service });
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) {
    collectDefaultMetrics({ register });
  }
}
