import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// Prisma CLI config for analytics: WebAssembly schema engine + pg driver adapter, so no native
// engine is ever downloaded. The schema's datasource reads ANALYTICS_DATABASE_URL; the CLI
// needs it set even for `generate`, hence the default below.
process.env['ANALYTICS_DATABASE_URL'] ||= 'postgresql://postgres@127.0.0.1:5432/crm_analytics';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  adapter: async () => new PrismaPg({ connectionString: process.env['ANALYTICS_DATABASE_URL'] as string, allowExitOnIdle: true }),
});
