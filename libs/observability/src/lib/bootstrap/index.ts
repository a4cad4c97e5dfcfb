export * from './dependency-preflight';
export * from './bootstrap-service';
export * from './create-fastify-adapter';
export * from './app-transport';
