import { readCompose, parseCompose, appServices, ComposeService, COMPOSE_PATH, rawEnvironment } from '../support/compose-file';
import { appNames, readWorkspaceFile } from '../support/workspace';
import { composeSchemaErrors } from './compose-schema';

const compose = readCompose();
const apps = appNames();
const SERVERS = ['postgres', 'rabbitmq', 'redis'];

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`${COMPOSE_PATH} has no service "${name}"`);
  return found;
}

function healthcheckCommand(name: string): string {
  const test = service(name).healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

describe('docker-compose.yml: Compose Specification schema', () => {
  it('is valid (merge keys resolved)', () => {
    expect(composeSchemaErrors(compose)).toEqual([]);
  });

  it('the check rejects a broken copy (unknown depends_on condition, unknown key)', () => {
    const broken = parseCompose(readWorkspaceFile(COMPOSE_PATH));
    broken.services['contacts'].depends_on = { x: { condition: 'bogus' } };
    broken.services['redis']['healthchek'] = { test: ['CMD', 'true'] };
    const errors = composeSchemaErrors(broken);
    expect(errors).toContain(
      '/services/contacts/depends_on/x/condition: must be equal to one of the allowed values (service_started, service_healthy, service_completed_successfully)',
    );
    expect(errors).toContain('/services/redis: must NOT have additional properties (healthchek)');
  });
});

describe('docker-compose.yml: the system', () => {
  it('has one service per app (apps/*/project.json of type app), each built from the Dockerfile with APP=<its name>', () => {
    const built = appServices(compose);
    expect(Object.keys(built).sort()).toEqual(apps);
    for (const [name, app] of Object.entries(built)) {
      expect({ service: name, app, build: service(name).build }).toEqual({
        service: name,
        app: name,
        build: { context: '.', dockerfile: 'Dockerfile', args: { APP: name } },
      });
    }
  });

  it('runs Postgres with a database per service (init-databases.sql)', () => {
    expect(service('postgres').image).toMatch(/^postgres:/);
    expect(service('postgres').volumes).toContain('./deploy/compose/init-databases.sql:/docker-entrypoint-initdb.d/10-databases.sql:ro');
    const created = [...readWorkspaceFile('deploy/compose/init-databases.sql').matchAll(/CREATE DATABASE\s+"?(\w+)"?/gi)].map((m) => m[1]);
    expect(created.sort()).toEqual(apps.map((app) => `crm_${app.replace(/-/g, '_')}`).sort());
  });

  it('runs RabbitMQ with its management UI on 15672, and Redis', () => {
    expect(service('rabbitmq').image).toMatch(/^rabbitmq:.*management/);
    expect(
      service('rabbitmq')
        .ports?.map(String)
        .some((p) => /:15672$/.test(p)),
    ).toBe(true);
    expect(service('redis').image).toMatch(/^redis:/);
  });

  it.each(SERVERS)('%s has a health check', (name) => {
    expect(service(name).healthcheck?.disable).not.toBe(true);
    expect(healthcheckCommand(name)).toMatch(/^CMD(-SHELL)? \S/);
  });

  it.each(apps)('%s: health check asks GET /health/ready on its PORT with node (no curl in slim images)', (app) => {
    expect(healthcheckCommand(app)).toMatch(/^CMD node -e .*process\.env\.PORT.*\/health\/ready/);
    expect(service(app).healthcheck?.start_period).toBeDefined();
  });

  it.each(apps)('%s: has its own INTERNAL_PORT (metrics, readiness details), published nowhere', (app) => {
    const env = rawEnvironment(service(app));
    expect(env['INTERNAL_PORT']).toMatch(/^\d+$/);
    expect(env['INTERNAL_PORT']).not.toBe(env['PORT']);
    const published = (service(app).ports ?? []).map(String);
    expect(published.filter((port) => port.split(':').includes(env['INTERNAL_PORT']))).toEqual([]);
  });

  it.each(apps)('%s: starts once postgres and rabbitmq are healthy, and redis for the API gateway alone (the one app that keeps state there)', (app) => {
    const servers = app === 'api-gateway' ? SERVERS : SERVERS.filter((s) => s !== 'redis');
    expect(service(app).depends_on).toEqual(Object.fromEntries(servers.map((s) => [s, { condition: 'service_healthy' }])));
    expect({ app, redis: rawEnvironment(service(app))['REDIS_URL'] }).toEqual({ app, redis: app === 'api-gateway' ? 'redis://redis:6379' : undefined });
  });
});
