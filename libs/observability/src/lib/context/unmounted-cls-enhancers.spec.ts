import { CallHandler, CanActivate, Controller, ExecutionContext, Get, INestApplication, Injectable, Module, NestInterceptor } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ClsGuard, ClsInterceptor, ClsModule } from 'nestjs-cls';
import type { Observable } from 'rxjs';
import { removeUnmountedClsEnhancers } from './unmounted-cls-enhancers';

const calls = { guard: 0, interceptor: 0 };

@Injectable()
class CountingGuard implements CanActivate {
  canActivate(): boolean {
    calls.guard++;
    return true;
  }
}

@Injectable()
class CountingInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    calls.interceptor++;
    return next.handle();
  }
}

@Controller()
class PingController {
  @Get('ping')
  ping() {
    return { pong: true };
  }
}

/** An app with nestjs-cls (its guard and interceptor mounted or not) and a global guard and interceptor of its own. */
async function appWith(mountCls: boolean): Promise<INestApplication> {
  @Module({
    imports: [ClsModule.forRoot({ global: true, guard: { mount: mountCls }, interceptor: { mount: mountCls } })],
    controllers: [PingController],
    providers: [
      { provide: APP_GUARD, useClass: CountingGuard },
      { provide: APP_INTERCEPTOR, useClass: CountingInterceptor },
    ],
  })
  class TestModule {}
  return NestFactory.create(TestModule, new FastifyAdapter(), { logger: false });
}

const globals = (app: INestApplication) => {
  const config = (app as unknown as { config: { getGlobalGuards(): unknown[]; getGlobalInterceptors(): unknown[] } }).config;
  return { guards: config.getGlobalGuards(), interceptors: config.getGlobalInterceptors() };
};

describe('removeUnmountedClsEnhancers', () => {
  it("removes nestjs-cls's pass-through guard and interceptor and keeps the app's own, which still run", async () => {
    const app = await appWith(false);
    try {
      // What nestjs-cls registers when neither is mounted: one object literal each, next to the app's classes.
      expect(globals(app).guards).toHaveLength(2);
      expect(globals(app).interceptors).toHaveLength(2);
      removeUnmountedClsEnhancers(app);
      expect(globals(app).guards).toEqual([expect.any(CountingGuard)]);
      expect(globals(app).interceptors).toEqual([expect.any(CountingInterceptor)]);

      await app.listen(0, '127.0.0.1');
      const before = { ...calls };
      const response = await fetch(`${await app.getUrl()}/ping`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ pong: true });
      expect(calls).toEqual({ guard: before.guard + 1, interceptor: before.interceptor + 1 });
    } finally {
      await app.close();
    }
  });

  it("keeps nestjs-cls's guard and interceptor when they are mounted (they open the context)", async () => {
    const app = await appWith(true);
    try {
      removeUnmountedClsEnhancers(app);
      const { guards, interceptors } = globals(app);
      expect(guards).toHaveLength(2);
      expect(guards).toEqual(expect.arrayContaining([expect.any(ClsGuard), expect.any(CountingGuard)]));
      expect(interceptors).toHaveLength(2);
      expect(interceptors).toEqual(expect.arrayContaining([expect.any(ClsInterceptor), expect.any(CountingInterceptor)]));
    } finally {
      await app.close();
    }
  });
});
