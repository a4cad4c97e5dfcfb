import { Histogram, register } from 'prom-client';

const HISTOGRAM_NAME = 'http_request_duration_seconds';

/** Request duration by method, route template (never the raw URL: unbounded label values) and status. */
export function httpRequestDuration(): Histogram<'method' | 'route' | 'status_code'> {
  const existing = register.getSingleMetric(HISTOGRAM_NAME);
  if (existing) return existing as Histogram<'method' | 'route' | 'status_code'>;
  return new Histogram({
    name: HISTOGRAM_NAME,
    help: 'Duration of HTTP requests in seconds',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
}
