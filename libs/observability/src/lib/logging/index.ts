export * from './pino-http-options';
export * from './logging.module';
