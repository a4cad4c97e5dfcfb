import { containerOf, envOf, objectOf } from '../support/k8s-manifests';
import { appNames } from '../support/workspace';

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
