import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

process.env['LAB_DATABASE_URL'] ||= 'postgresql://postgres@127.0.0.1:5432/crm_messaging_lab';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  adapter: async () => new PrismaPg({ connectionString: process.env['LAB_DATABASE_URL'] as string }),
});
