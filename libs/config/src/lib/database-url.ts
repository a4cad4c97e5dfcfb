/**
 * Where a service's own database is when nothing says otherwise (a local run from source): the one
 * place this default is written. Read by the services' configs, their prisma.config.ts and
 * tools/db. No imports and only erasable TypeScript, so plain Node runs this file as it is.
 */

/** The local Postgres server of a run from source (tools/ensure-services.sh, docker compose). */
export const DEFAULT_DATABASE_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432';

type Snake<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}_${Snake<Tail>}` : S;

/** The variable a service reads its database URL from: contacts → CONTACTS_DATABASE_URL. */
export type DatabaseUrlVariable<Service extends string> = `${Uppercase<Snake<Service>>}_DATABASE_URL`;

/** contacts → crm_contacts, api-gateway → crm_api_gateway */
export function defaultDatabaseName(service: string): string {
  return `crm_${service.replace(/-/g, '_')}`;
}

/** contacts → postgresql://postgres@127.0.0.1:5432/crm_contacts (the development database). */
export function defaultDatabaseUrl(service: string): string {
  return `${DEFAULT_DATABASE_SERVER_URL}/${defaultDatabaseName(service)}`;
}

/** contacts → CONTACTS_DATABASE_URL, api-gateway → API_GATEWAY_DATABASE_URL */
export function databaseUrlVariable<Service extends string>(service: Service): DatabaseUrlVariable<Service> {
  return `${service.replace(/-/g, '_').toUpperCase()}_DATABASE_URL` as DatabaseUrlVariable<Service>;
}
