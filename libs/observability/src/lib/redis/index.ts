export * from './redis.module';
export * from './shared-deadline';
