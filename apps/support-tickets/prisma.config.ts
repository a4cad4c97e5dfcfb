import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// Prisma CLI config for support-tickets: WebAssembly schema engine + pg driver adapter, so no native
// engine is ever downloaded. The schema's datasource reads SUPPORT_TICKETS_DATABASE_URL; the CLI
// needs it set even for `generate`: unset, it is the development database, as @crm/config defines
// it (required only then: the service's image ships this file alone, and always sets the variable).
process.env['SUPPORT_TICKETS_DATABASE_URL'] ||= require('../../libs/config/src/lib/database-url').defaultDatabaseUrl('support-tickets');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  adapter: async () => new PrismaPg({ connectionString: process.env['SUPPORT_TICKETS_DATABASE_URL'] as string, allowExitOnIdle: true }),
});
