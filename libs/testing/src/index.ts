export * from './lib/env';
export * from './lib/bus';
export * from './lib/redis';
export * from './lib/database';
export { workspaceRoot } from './lib/workspace';
export * from './lib/service';
export * from './lib/caller-tokens';
export * from './lib/test-responder';
