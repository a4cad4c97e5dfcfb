import { DynamicModule, Module } from '@nestjs/common';
import { ClsModule, ClsPluginBase } from 'nestjs-cls';
import { RequestContextHooks } from './request-context.hooks';
import { RequestContext } from './request-context.service';

export interface RequestContextModuleOptions {
  /** Extra nestjs-cls plugins (e.g. the transactional plugin), so an app has exactly one ClsModule.forRoot. */
  plugins?: ClsPluginBase[];
}

@Module({})
export class RequestContextModule {
  static forRoot(options: RequestContextModuleOptions = {}): DynamicModule {
    return {
      module: RequestContextModule,
      global: true,
      imports: [
        ClsModule.forRoot({
          global: true,
          plugins: options.plugins,
          // No Nest middleware: RequestContextHooks opens each request's context in Fastify hooks.
          middleware: { mount: false },
        }),
      ],
      providers: [RequestContext, RequestContextHooks],
      exports: [RequestContext],
    };
  }
}
