export * from './lib/service-core.module';
