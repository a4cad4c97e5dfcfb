import { generateKeyPairSync } from 'node:crypto';
import { appServices, interpolate, InterpolationError, rawEnvironment, readCompose, requiredVariables } from '../support/compose-file';
import { envPrefix, readWorkspaceFile } from '../support/workspace';
import { LoadResult, loadAppConfig } from './load-app-config';

const compose = readCompose();
const apps = Object.keys(appServices(compose)).sort();
const SERVERS = ['postgres', 'rabbitmq', 'redis', 'mailpit'];
/** URLs the app only writes into what it sends (links in mail a person opens in a browser), never connects to. */
const PUBLIC_URLS = ['SALES_AUTOMATION_PUBLIC_BASE_URL', 'SUPPORT_TICKETS_PORTAL_URL', 'SUPPORT_TICKETS_PUBLIC_BASE_URL'];
const SECRET_NAME = /(PRIVATE_KEY|SECRET|PASSWORD|TOKEN)$/;

// What an operator supplies for the `${VAR:?…}` variables: a real RS256 pair for the JWT keys.
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const integrationKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SUPPLIED: Record<string, string> = {
  AUTH_JWT_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  AUTH_JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  CONTACTS_CURSOR_SECRET: 'a-cursor-secret-of-at-least-32-characters',
  SALES_AUTOMATION_CURSOR_SECRET: 'another-cursor-secret-of-32-characters',
  SALES_AUTOMATION_UNSUBSCRIBE_SECRET: 'an-unsubscribe-secret-of-32-characters',
  SUPPORT_TICKETS_CSAT_SECRET: 'a-csat-rating-secret-of-32-characters',
  INTEGRATION_JWT_PRIVATE_KEY: integrationKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  INTEGRATION_JWT_PUBLIC_KEY: integrationKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};

/** The app's environment as compose gives it: merges resolved, `${VAR:-default}` with defaults. */
function composeEnvironment(app: string, supplied: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(rawEnvironment(compose.services[app])).map(([key, value]) => [key, interpolate(value, supplied)]));
}

function configOf(app: string, result: LoadResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`${app}: apps/${app}/src/app.config.ts rejects its compose environment:\n${result.message}`);
  return result.config;
}

describe.each(apps)('docker-compose.yml environment of %s', (app) => {
  const raw = rawEnvironment(compose.services[app]);
  let loaded: { given: LoadResult; defaults: LoadResult };

  beforeAll(() => {
    const required = Object.values(raw).flatMap(requiredVariables);
    const missing = required.filter((name) => !(name in SUPPLIED));
    if (missing.length) throw new Error(`${app}: the test has no value for required variable(s) ${missing.join(', ')}`);
    loaded = loadAppConfig(app, composeEnvironment(app, SUPPLIED));
  }, 60_000);

  it('is accepted by the app’s own config (AppConfig.load)', () => {
    expect(configOf(app, loaded.given)).toBeDefined();
  });

  it('points every *_URL setting at a compose service, not at the local default', () => {
    const config = configOf(app, loaded.given);
    const wrong = Object.entries(config)
      .filter(([key]) => key.endsWith('_URL') && !PUBLIC_URLS.includes(key))
      .map(([key, value]) => ({ key, host: new URL(String(value)).hostname }))
      // Servers, or another app (the services verify callers against the gateway's JWKS).
      .filter(({ host }) => !SERVERS.includes(host) && !apps.includes(host))
      .map(
        ({ key, host }) => `${app}: ${key} points at ${host} (not ${[...SERVERS, ...apps].join('/')}): compose does not set it, the app's default leaked in`,
      );
    expect(wrong).toEqual([]);
  });

  it('gives the app its own database: the one its config names by default, created by init-databases.sql', () => {
    const variable = `${envPrefix(app)}_DATABASE_URL`;
    const database = (config: Record<string, unknown>) => new URL(String(config[variable])).pathname.slice(1);
    const own = database(configOf(app, loaded.defaults));
    expect({ app, variable, database: database(configOf(app, loaded.given)) }).toEqual({ app, variable, database: own });
    expect(readWorkspaceFile('deploy/compose/init-databases.sql')).toMatch(new RegExp(`CREATE DATABASE\\s+"?${own}"?;`));
  });

  it('takes secrets only from the environment (`${VAR:?…}`), never a value in the file', () => {
    const literal = Object.entries(raw)
      .filter(([key]) => SECRET_NAME.test(key))
      .filter(([key, value]) => !new RegExp(`^\\$\\{${key}:\\?[^}]+\\}$`).test(value))
      .map(([key]) => `${app}: ${key} must be \${${key}:?…}`);
    expect(literal).toEqual([]);
  });
});

describe('docker-compose.yml: api-gateway signing keys', () => {
  const raw = rawEnvironment(compose.services['api-gateway']);

  it('requires both JWT keys from the environment (else the gateway generates a throwaway pair, even in production)', () => {
    expect(interpolate(raw['NODE_ENV'], {})).toBe('production');
    for (const key of ['AUTH_JWT_PRIVATE_KEY', 'AUTH_JWT_PUBLIC_KEY']) {
      expect(requiredVariables(raw[key] ?? '')).toEqual([key]);
      expect(() => interpolate(raw[key], {})).toThrow(InterpolationError);
      expect(() => interpolate(raw[key], {})).toThrow(key);
    }
  });
});

describe('compose interpolation (as the checks above read it)', () => {
  it.each([
    ['${A:-x}', {}, 'x'],
    ['${A:-x}', { A: '' }, 'x'],
    ['${A-x}', { A: '' }, ''],
    ['${A:-x}', { A: 'y' }, 'y'],
    ['a$$b', {}, 'a$b'],
    ['$A/${B}', { A: '1', B: '2' }, '1/2'],
    ['${A:+on}', { A: '1' }, 'on'],
  ])('%s with %j is %s', (value, env: Record<string, string>, expected) => {
    expect(interpolate(value, env)).toBe(expected);
  });

  it('refuses a missing required variable', () => {
    expect(() => interpolate('${A:?give A}', { A: '' })).toThrow('required variable A is missing a value: give A');
  });
});
