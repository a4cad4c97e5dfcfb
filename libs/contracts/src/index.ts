export * from './lib/names';
export * from './lib/define';
export * from './lib/envelope';
export * from './lib/validation';
export * from './lib/errors';
export * from './lib/actor';
export * from './lib/diagnostics';
export * from './lib/contacts';
