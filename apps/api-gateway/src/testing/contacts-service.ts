import type { Provider } from '@nestjs/common';
import { startTestService, TestService } from '@crm/testing';
// Test only: the real contacts service (its own module, database and queue) answers the gateway.
// For specs that need the real service's behaviour; a stand-in that only answers is startTestResponder (@crm/testing).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AppConfig as ContactsConfig } from '../../../contacts/src/app.config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AppModule as ContactsModule } from '../../../contacts/src/app.module';

/** The contacts service on the gateway test's bus prefix, optionally with test-only providers (probes). */
export function startContactsService(busPrefix: string, providers: Provider[] = []): Promise<TestService> {
  return startTestService({
    service: 'contacts',
    databaseUrlEnv: 'CONTACTS_DATABASE_URL',
    loadConfig: (env) => ContactsConfig.load(env),
    module: (config) => {
      const root = ContactsModule.register(config);
      return providers.length ? { ...root, providers: [...(root.providers ?? []), ...providers] } : root;
    },
    env: { BUS_NAME_PREFIX: busPrefix },
  });
}
