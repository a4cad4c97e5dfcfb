export * from './lib/config-error';
export * from './lib/load-config';
export * from './lib/env-schemas';
export * from './lib/typed-config';
export * from './lib/typed-config.module';
export * from './lib/service-config';
export * from './lib/database-url';
