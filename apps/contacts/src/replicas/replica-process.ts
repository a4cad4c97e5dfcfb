/**
 * One contacts replica in a process of its own, as main.ts runs it, so a test can SIGKILL it.
 * Configured by the environment the service reads (database, broker, Redis, bus prefix, keys),
 * plus REPLICA_KILL_AFTER_COMMANDS=<n>: the replica SIGKILLs itself right after its n-th command
 * committed, before the reply and the ack leave (the moment a redelivery would apply it twice).
 */
import 'reflect-metadata';
import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Observable, tap } from 'rxjs';
import { connectMessaging, RpcCallContext } from '@crm/messaging';
import { createFastifyAdapter, removeUnmountedClsEnhancers } from '@crm/observability';
import { AppConfig } from '../app.config';
import { AppModule } from '../app.module';

/** Global, so outermost: it sees a command's result after the command inbox's transaction committed. */
class KillAfterCommands implements NestInterceptor {
  private committed = 0;
  constructor(private readonly limit: number) {}
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const isCommand =
      context.switchToRpc().getContext() instanceof RpcCallContext && /\.(create|log)\.v\d+$/.test(context.switchToRpc().getContext<RpcCallContext>().type);
    return next.handle().pipe(tap(() => isCommand && ++this.committed >= this.limit && process.kill(process.pid, 'SIGKILL')));
  }
}

async function main(): Promise<void> {
  const config = AppConfig.load(process.env as Record<string, string>);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createFastifyAdapter(), { logger: ['error'] });
  removeUnmountedClsEnhancers(app);
  const killAfter = Number(process.env['REPLICA_KILL_AFTER_COMMANDS'] ?? 0);
  if (killAfter > 0) app.useGlobalInterceptors(new KillAfterCommands(killAfter));
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
