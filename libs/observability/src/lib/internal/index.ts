export * from './internal-http-server';
