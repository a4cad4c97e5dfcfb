export * from './readiness-check';
export * from './health.module';
export * from './readiness.service';
