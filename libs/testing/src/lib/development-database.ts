import { defaultDatabaseName } from '@crm/config';

/**
 * Throws when `url` names the service's development database (the default of its config): a test
 * writes into a database of its own, never into the one a developer's running system uses.
 */
export function refuseDevelopmentDatabase(service: string, url: string): void {
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (database === defaultDatabaseName(service)) {
    throw new Error(`@crm/testing: a test must not use ${service}'s development database ${database}; give it one of its own (createTestDatabase)`);
  }
}
