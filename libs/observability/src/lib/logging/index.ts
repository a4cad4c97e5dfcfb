export * from './pino-http-options';
export * from './loggable-url';
export * from './logging.module';
