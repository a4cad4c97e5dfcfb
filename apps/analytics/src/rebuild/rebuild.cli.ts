/**
 * Rebuilds the analytics read models from the event log: one tenant, or all of them.
 *
 *   ANALYTICS_DATABASE_URL=postgresql://... \
 *   SWC_NODE_PROJECT=apps/analytics/tsconfig.app.json node -r @swc-node/register \
 *     apps/analytics/src/rebuild/rebuild.cli.ts [--tenant <tenant-id>]
 *
 * Safe while the service runs: each tenant is rebuilt in one transaction under the tenant's lock.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { RebuildCliModule } from './rebuild-cli.module';
import { RebuildReadModelsService } from './rebuild-read-models.service';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' } } });
  const app = await NestFactory.createApplicationContext(RebuildCliModule, { logger: ['warn', 'error'] });
  try {
    const service = app.get(RebuildReadModelsService);
    const result = await app.get(ClsService).run(() => service.rebuild(values.tenant));
    console.log(JSON.stringify(result));
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
