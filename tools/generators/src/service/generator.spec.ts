import { Tree, workspaceRoot } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';
import { serviceGenerator } from './generator';
import { portsInUse, servicePort } from './ports';

/**
 * The generator on an in-memory tree over this workspace: nothing is written to disk. (The whole
 * round trip, generated service tested, is apps/system-checks/src/generator/service-generator.spec.ts.)
 */
describe('nx g @crm/tools:service', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = new FsTree(workspaceRoot, false);
  });

  it('writes the service, its contracts and manifests, and adds it to every list kept by hand', async () => {
    const port = Math.max(...portsInUse(tree).filter((p) => p > 3100 && p < 4000)) + 1;
    await serviceGenerator(tree, { name: 'demo-svc' });
    const changes = tree.listChanges();
    const created = changes.filter((c) => c.type === 'CREATE').map((c) => c.path);
    expect(created).toEqual(
      expect.arrayContaining([
        'apps/demo-svc/project.json',
        'apps/demo-svc/src/app.config.ts',
        'apps/demo-svc/src/testing/demo-svc-test-context.ts',
        'apps/demo-svc/prisma/schema.prisma',
        'deploy/k8s/demo-svc/demo-svc.yaml',
        'libs/contracts/src/lib/demo-svc.ts',
      ]),
    );
    expect(created.filter((path) => /^apps\/demo-svc\/prisma\/migrations\/\d{14}_init\/migration\.sql$/.test(path))).toHaveLength(1);
    expect(created.filter((path) => path.endsWith('.template') || path.includes('__'))).toEqual([]);
    expect(
      changes
        .filter((c) => c.type === 'UPDATE')
        .map((c) => c.path)
        .sort(),
    ).toEqual([
      'apps/api-gateway/src/authz/permissions.ts',
      'apps/api-gateway/src/edge/services.ts',
      'deploy/compose/init-databases.sql',
      'deploy/k8s/kustomization.yaml',
      'docker-compose.yml',
      'libs/contracts/src/index.ts',
      'tools/bus-users.sh',
    ]);
    const read = (path: string) => tree.read(path, 'utf-8') ?? '';
    expect(read('apps/demo-svc/src/app.config.ts')).toContain(`serviceConfigShape(${port})`);
    expect(read('apps/demo-svc/src/app.config.ts')).toContain('DEMO_SVC_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME)');
    expect(read('apps/demo-svc/project.json')).toContain('"scope:demo-svc"');
    expect(read('apps/demo-svc/prisma/schema.prisma')).toMatch(/model OutboxMessage \{[\s\S]*model InboxMessage \{[\s\S]*model CommandInbox \{/);
    expect(read('docker-compose.yml')).toContain(`  demo-svc:\n    <<: *app\n    build: { context: ., dockerfile: Dockerfile, args: { APP: demo-svc } }`);
    expect(read('docker-compose.yml')).toContain(`INTERNAL_PORT: "${port + 6000}"`);
    expect(read('docker-compose.yml')).toContain('BUS_PASSWORD_DEMO_SVC: ${BUS_PASSWORD_DEMO_SVC:-dev-demo-svc}');
    expect(read('deploy/compose/init-databases.sql')).toMatch(/CREATE DATABASE crm_demo_svc;\n$/);
    expect(read('deploy/k8s/kustomization.yaml')).toMatch(/^resources: \[.*, demo-svc\]$/m);
    expect(read('tools/bus-users.sh')).toMatch(/^services=\$\{BUS_SERVICES:-.* demo-svc\}$/m);
    expect(read('apps/api-gateway/src/edge/services.ts')).toMatch(/KNOWN_SERVICES = \[.*'demo-svc'\] as const/);
    expect(read('apps/api-gateway/src/authz/permissions.ts')).toMatch(/export const RESOURCES = \[[^\]]*\n {2}'demo-svc',\n[^\]]*\] as const/);
    expect(read('libs/contracts/src/index.ts')).toMatch(/export \* from '\.\/lib\/demo-svc';\n$/);
    // The service-side guarding spec: the same file as every other service's (apps/system-checks compares them).
    expect(read('apps/demo-svc/src/handler-guarding.spec.ts')).toBe(read('apps/contacts/src/handler-guarding.spec.ts'));
    expect(read('apps/demo-svc/src/diagnostics/echo/echo.handler.ts')).toContain("{ scope: 'public', why:");
  });

  it('takes the port asked for, and refuses one another app has', async () => {
    expect(servicePort(tree, 3150)).toBe(3150);
    expect(() => servicePort(tree, portsInUse(tree)[0])).toThrow(/another app's port/);
  });

  it.each(['Demo', 'demo_svc', '1demo', 'demo-', 'analytics'])('refuses the name %s', async (name) => {
    await expect(serviceGenerator(tree, { name })).rejects.toThrow(name === 'analytics' ? 'apps/analytics already exists' : 'is not a service name');
  });

  it('stops, naming the file, when a list kept by hand no longer has the shape it edits (no service half registered in silence)', async () => {
    tree.write('apps/api-gateway/src/edge/services.ts', 'export const SERVICES = new Set<string>();\n');
    await expect(serviceGenerator(tree, { name: 'demo-svc' })).rejects.toThrow(
      "apps/api-gateway/src/edge/services.ts no longer looks as the service generator expects: cannot add 'demo-svc' to KNOWN_SERVICES",
    );
  });
});
