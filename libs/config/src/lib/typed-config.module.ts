import { DynamicModule, Module } from '@nestjs/common';
import { ConfigSchema, ConfigOf, Environment } from './load-config';
import { TypedConfigClass } from './typed-config';

@Module({})
export class TypedConfigModule {
  /**
   * Provides the app's config under its TypedConfig class, globally.
   * Pass already-loaded `values` (main.ts loads them first to fail fast) or an `env` to load from.
   */
  static register<S extends ConfigSchema>(token: TypedConfigClass<S>, source: { values: ConfigOf<S> } | { env?: Environment } = {}): DynamicModule {
    return {
      module: TypedConfigModule,
      global: true,
      providers: [
        {
          provide: token,
          useFactory: () => ('values' in source ? source.values : token.load(source.env)),
        },
      ],
      exports: [token],
    };
  }
}
