export * from './database-pool';
export * from './prepared-query';
export * from './prisma-raw';
export * from './transactional-kysely';
export * from './insert-records';
export * from './unnest-rows';
export * from './iso-timestamp';
export * from './timestamptz-parser';
