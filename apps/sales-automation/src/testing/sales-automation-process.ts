/**
 * The sales-automation service in a process of its own, as main.ts runs it, so a test can kill it
 * (the conversion crash test: SALES_AUTOMATION_CONVERSION_CRASH_AFTER makes it SIGKILL itself
 * between conversion steps). Configured by the environment the service reads; says 'ready' over IPC.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connectMessaging } from '@crm/messaging';
import { createFastifyAdapter, removeUnmountedClsEnhancers } from '@crm/observability';
import { AppConfig } from '../app.config';
import { AppModule } from '../app.module';

async function main(): Promise<void> {
  const config = AppConfig.load(process.env as Record<string, string>);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createFastifyAdapter(), { logger: ['error'] });
  removeUnmountedClsEnhancers(app);
  connectMessaging(app);
  await app.listen(0, '127.0.0.1');
  await app.startAllMicroservices();
  app.enableShutdownHooks();
  process.send?.('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
