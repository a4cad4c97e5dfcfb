export * from './cursor-codec';
export * from './keyset';
export * from './keyset-page';
export * from './soft-delete';
