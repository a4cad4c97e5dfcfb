import { ConfigOf, ConfigSchema, Environment, loadConfig } from './load-config';

/** The class a typed config token is: injectable by type, instances carry the validated values. */
export type TypedConfigClass<S extends ConfigSchema = ConfigSchema> = (abstract new () => ConfigOf<S>) & {
  readonly schema: S;
  load(env?: Environment): ConfigOf<S>;
};

/**
 * Makes an abstract class to use as a DI token for one app's config:
 *
 *   export class AppConfig extends TypedConfig(appConfigSchema) {}
 *   constructor(private readonly config: AppConfig) {}   // config.PORT is typed
 *
 * A class (not a string token) so Nest can inject by type without @Inject().
 */
export function TypedConfig<S extends ConfigSchema>(schema: S) {
  abstract class TypedConfigBase {
    static readonly schema = schema;

    static load(env?: Environment): ConfigOf<S> {
      return loadConfig(schema, env);
    }
  }
  return TypedConfigBase as unknown as TypedConfigClass<S>;
}
