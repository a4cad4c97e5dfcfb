import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// Unset: a development database named as @crm/config names every service's.
process.env['LAB_DATABASE_URL'] ||= require('../../../config/src/lib/database-url').defaultDatabaseUrl('messaging-lab');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  adapter: async () => new PrismaPg({ connectionString: process.env['LAB_DATABASE_URL'] as string }),
});
