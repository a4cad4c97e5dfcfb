export * from './lib/service-core.module';
export * from './lib/database';
export * from './lib/paging';
export * from './lib/jobs/job-scheduler';
export * from './lib/jobs/clock';
export * from './lib/http-edge';
export * from './lib/external-items/external-items';
