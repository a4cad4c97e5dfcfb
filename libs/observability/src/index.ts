export * from './lib/public.decorator';
export * from './lib/context';
export * from './lib/logging';
export * from './lib/metrics';
export * from './lib/health';
export * from './lib/redis';
export * from './lib/bootstrap';
export * from './lib/internal';
