import * as contracts from '@crm/contracts';
import { diagnosticsEcho, owningService, PUBLIC_MESSAGES } from '@crm/contracts';
import { handlerGuardingProblems, isContract, messageHandlersOf } from '@crm/messaging';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AppModule } from './app.module';

/**
 * The service-side twin of the gateway's route-guarding test, the same file in every service:
 * every command and query this service owns in libs/contracts has exactly one handler, every
 * handler handles a declared contract, and every handler is tenant-scoped (the transport refuses
 * a message without a tenant before it runs) unless it is allow-listed as public: its diagnostics
 * echo, and its own entries of PUBLIC_MESSAGES (libs/contracts).
 */
const PUBLIC_HANDLERS: Record<string, string> = {
  [diagnosticsEcho(SERVICE_NAME).name]: 'diagnostics: answers the payload it got, reads and writes no data',
  ...Object.fromEntries(Object.entries(PUBLIC_MESSAGES).filter(([name]) => owningService(name) === SERVICE_NAME)),
};

describe(`${SERVICE_NAME}: every contract has its handler, every handler its tenant`, () => {
  // The app's module tree as main.ts builds it, walked by reflection: nothing connects anywhere.
  const handlers = messageHandlersOf(AppModule.register(AppConfig.load({})));
  // A service that answers requests answers the diagnostics echo too (one only consuming events does not).
  const answersRequests = handlers.some((handler) => handler.kind === 'rpc');
  const declared = [...Object.values<unknown>(contracts).filter(isContract), ...(answersRequests ? [diagnosticsEcho(SERVICE_NAME)] : [])];

  it('finds the handlers (the walk itself works)', () => {
    expect(handlers.length).toBeGreaterThan(0);
    expect(handlers.every((handler) => handler.handler.includes('.'))).toBe(true);
  });

  it('has no problem: one handler per owned contract, declared contracts only, tenant-scoped unless allow-listed', () => {
    const publicHandlers = answersRequests ? PUBLIC_HANDLERS : {};
    expect(handlerGuardingProblems(handlers, { service: SERVICE_NAME, contracts: declared, publicHandlers })).toEqual([]);
  });
});
