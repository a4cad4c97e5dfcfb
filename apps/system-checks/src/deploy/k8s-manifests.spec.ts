import { generateKeyPairSync } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAppConfig } from '../compose/load-app-config';
import { containerOf, envOf, manifestFiles, objectOf } from '../support/k8s-manifests';
import { appNames, readWorkspaceFile, ROOT } from '../support/workspace';

const apps = appNames();

describe('deploy/k8s: every service', () => {
  it.each(apps)('%s: metrics and readiness details on its own internal port, scraped there, exposed by no Service', (app) => {
    const env = envOf(app);
    const internalPort = Number(env['INTERNAL_PORT']?.value);
    const port = Number(env['PORT']?.value);
    expect(internalPort).toBeGreaterThan(0);
    expect(internalPort).not.toBe(port);
    expect(containerOf(app).ports).toEqual(
      expect.arrayContaining([
        { name: 'http', containerPort: port },
        { name: 'internal', containerPort: internalPort },
      ]),
    );
    const annotations = objectOf(app, 'Deployment').spec.template.metadata.annotations ?? {};
    expect(annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(internalPort), 'prometheus.io/path': '/metrics' });
    const servicePorts = objectOf(app, 'Service').spec.ports as { targetPort: unknown }[];
    expect(servicePorts.map((p) => p.targetPort)).not.toContain('internal');
    expect(servicePorts.map((p) => p.targetPort)).not.toContain(internalPort);
  });

  it.each(apps)('%s: probes ask /health/live and /health/ready', (app) => {
    const container = containerOf(app);
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
  });

  it.each(apps)('%s: the NetworkPolicy admits the internal port only from the monitoring namespace', (app) => {
    const rules = objectOf(app, 'NetworkPolicy').spec.ingress as { from?: unknown[]; ports?: { port: unknown }[] }[];
    for (const rule of rules.filter((r) => r.ports?.some((p) => p.port === 'internal'))) {
      expect(rule.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    }
    expect(rules.some((r) => r.ports?.some((p) => p.port === 'internal'))).toBe(true);
  });
});

describe('deploy/k8s: the api-gateway in production', () => {
  const env = envOf('api-gateway');

  it('takes both RS256 signing keys from a Secret (secretKeyRef), never a value in the manifest', () => {
    for (const name of ['AUTH_JWT_PRIVATE_KEY', 'AUTH_JWT_PUBLIC_KEY']) {
      expect({ name, value: env[name]?.value }).toEqual({ name, value: undefined });
      expect(env[name]?.valueFrom?.secretKeyRef).toEqual({ name: 'api-gateway-jwt', key: expect.any(String) });
    }
    expect(env['AUTH_JWT_PRIVATE_KEY'].valueFrom?.secretKeyRef?.key).not.toBe(env['AUTH_JWT_PUBLIC_KEY'].valueFrom?.secretKeyRef?.key);
  });

  it('runs with production defaults: NODE_ENV=production, sign-up off, the ingress as the only trusted proxy', () => {
    expect(env['NODE_ENV']?.value).toBe('production');
    expect(env['AUTH_SIGNUP_ENABLED']?.value).toBe('false');
    expect(env['GATEWAY_TRUSTED_PROXIES']?.value).toMatch(/^[0-9a-f.:/, ]+$/i);
  });

  it('is accepted by the gateway’s own config, with the Secrets’ values supplied', () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const secrets: Record<string, string> = {
      AUTH_JWT_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      AUTH_JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      RABBITMQ_URL: 'amqp://gateway:secret@rabbitmq:5672',
      REDIS_URL: 'redis://redis:6379',
      API_GATEWAY_DATABASE_URL: 'postgresql://gateway:secret@postgres:5432/crm_api_gateway',
    };
    const given = Object.fromEntries(Object.values(env).map((v) => [v.name, v.value ?? secrets[v.name] ?? `missing value for ${v.name}`]));
    const { given: result } = loadAppConfig('api-gateway', given);
    if (!result.ok) throw new Error(result.message);
    expect(result.config).toMatchObject({ NODE_ENV: 'production', AUTH_SIGNUP_ENABLED: false });
  }, 60_000);
});

describe('deploy/k8s: the integration-gateway in production', () => {
  const env = envOf('integration-gateway');

  it('takes its own RS256 pair from a Secret of its own, and every service trusts its JWKS', () => {
    for (const name of ['INTEGRATION_JWT_PRIVATE_KEY', 'INTEGRATION_JWT_PUBLIC_KEY']) {
      expect({ name, value: env[name]?.value }).toEqual({ name, value: undefined });
      expect(env[name]?.valueFrom?.secretKeyRef).toEqual({ name: 'integration-gateway-jwt', key: expect.any(String) });
    }
    for (const app of ['contacts', 'analytics', 'sales-automation']) {
      expect({ app, url: envOf(app)['INTEGRATION_JWKS_URL']?.value }).toEqual({ app, url: 'http://integration-gateway/.well-known/jwks.json' });
    }
  });

  it('is accepted by its own config, with the Secrets’ values supplied', () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const secrets: Record<string, string> = {
      INTEGRATION_JWT_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      INTEGRATION_JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      RABBITMQ_URL: 'amqp://integration:secret@rabbitmq:5672',
      INTEGRATION_GATEWAY_DATABASE_URL: 'postgresql://integration:secret@postgres:5432/crm_integration_gateway',
    };
    const given = Object.fromEntries(Object.values(env).map((v) => [v.name, v.value ?? secrets[v.name] ?? `missing value for ${v.name}`]));
    const { given: result } = loadAppConfig('integration-gateway', given);
    if (!result.ok) throw new Error(result.message);
    expect(result.config).toMatchObject({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: false });
  }, 60_000);
});

describe('deploy/: no secret in any file', () => {
  it('contains no PEM key and no literal value for a secret-named variable', () => {
    const offenders: string[] = [];
    for (const file of [...manifestFiles(), ...readdirSync(join(ROOT, 'deploy/compose')).map((f) => `deploy/compose/${f}`)]) {
      const text = readWorkspaceFile(file);
      if (/-----BEGIN [A-Z ]*(PRIVATE )?KEY-----/.test(text)) offenders.push(`${file}: a PEM key`);
      for (const match of text.matchAll(/name:\s*"?([A-Z0-9_]*(?:PRIVATE_KEY|SECRET|PASSWORD|TOKEN))"?\s*,\s*value:/g))
        offenders.push(`${file}: ${match[1]} has a literal value`);
    }
    expect(offenders).toEqual([]);
  });
});
