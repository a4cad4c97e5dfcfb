import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleExternals, layoutProblems, productionPackages } from '../docker/runtime-image';
import { ROOT } from '../support/workspace';

const SERVICE = 'demo-svc';
const MINUTE = 60_000;

/** The files the generator edits besides writing the service's own (the lists of services kept by hand). */
const EDITED = [
  'apps/api-gateway/src/authz/permissions.ts',
  'apps/api-gateway/src/edge/services.ts',
  'deploy/compose/init-databases.sql',
  'deploy/k8s/kustomization.yaml',
  'docker-compose.yml',
  'libs/contracts/src/index.ts',
  'tools/bus-users.sh',
];
const CREATED = [`apps/${SERVICE}/`, `deploy/k8s/${SERVICE}/`, `libs/contracts/src/lib/${SERVICE}.ts`];

interface Run {
  code: number | null;
  output: string;
}

/** A command in the scratch clone, its stdout and stderr together (asynchronous: jest's timeouts still fire). */
function run(cwd: string, command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function expectSuccess(what: string, result: Run): void {
  // The command's output in the failure message: what broke in the generated service.
  expect({ what, code: result.code, output: result.code === 0 ? '' : result.output.slice(-20_000) }).toEqual({ what, code: 0, output: '' });
}

/**
 * `nx g @crm/tools:service demo-svc` in a scratch clone of the committed workspace (HEAD: commit
 * before running this), then, with no hand edit, what `npm test` and the system checks ask of a
 * service. The clone shares this workspace's node_modules; it gets a database, bus names and a
 * broker prefix of its own through the generated test context, like any service test.
 */
describe(`nx g @crm/tools:service ${SERVICE}, in a scratch clone`, () => {
  let clone: string;
  let generated: Run;

  beforeAll(async () => {
    clone = mkdtempSync(join(tmpdir(), 'crm-service-generator-'));
    expectSuccess('git clone', await run(ROOT, 'git', ['clone', '--quiet', ROOT, clone]));
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    generated = await run(clone, 'npx', ['nx', 'g', '@crm/tools:service', SERVICE, '--no-interactive']);
  }, 3 * MINUTE);

  afterAll(() => {
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  it('writes the service and adds it to every list of services kept by hand, and generates its Prisma client', async () => {
    expectSuccess('nx g', generated);
    const status = await run(clone, 'git', ['status', '--porcelain', '--untracked-files=normal']);
    const changes = status.output.split('\n').filter(Boolean);
    expect(
      changes
        .filter((line) => line.startsWith(' M'))
        .map((line) => line.slice(3))
        .sort(),
    ).toEqual(EDITED);
    expect(
      changes
        .filter((line) => line.startsWith('??'))
        .map((line) => line.slice(3))
        .sort(),
    ).toEqual([...CREATED].sort());
    expect(existsSync(join(clone, `apps/${SERVICE}/src/generated/prisma/client.ts`))).toBe(true);
  });

  it(
    "passes npm test's targets for it (lint, typecheck, build, its jest specs), and its build fits the Dockerfile's runtime image",
    async () => {
      const result = await run(clone, 'npx', ['nx', 'run-many', '-t', 'lint', 'typecheck', 'build', 'test', '-p', SERVICE, '--outputStyle=static']);
      expectSuccess(`nx run-many -t lint typecheck build test -p ${SERVICE}`, result);
      // Its first spec ran (health, echo over the bus, callers verified), not an empty suite.
      expect(result.output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
      expect(result.output).not.toMatch(/Tests:.*(failed|skipped)/);
      // The Dockerfile spec's checks of `nx build ${APP}`, on this build: every file CMD runs is
      // where the runtime stage copies it from, and main.js loads only production packages.
      const dockerfile = readFileSync(join(clone, 'Dockerfile'), 'utf8');
      expect(layoutProblems(dockerfile, SERVICE, clone)).toEqual([]);
      const { packages, relative } = bundleExternals(readFileSync(join(clone, 'dist/apps', SERVICE, 'main.js'), 'utf8'));
      expect(relative).toEqual([]);
      const prod = productionPackages(clone);
      expect(packages.filter((name) => !prod.has(name))).toEqual([]);
      expect(packages).toContain('@prisma/client');
    },
    10 * MINUTE,
  );

  it(
    'passes the compose, Dockerfile and k8s checks, which find it among the apps',
    async () => {
      const report = join(clone, 'tmp/system-checks.json');
      const result = await run(clone, 'npx', [
        'jest',
        '-c',
        'apps/system-checks/jest.config.cts',
        'apps/system-checks/src/compose',
        'apps/system-checks/src/deploy',
        'apps/system-checks/src/docker',
        // Not the Dockerfile spec's build of contacts (minutes, and not about the new service): the
        // same checks run on the new service's own build above.
        '--testNamePattern',
        '^(?!Dockerfile after `nx build)',
        '--json',
        `--outputFile=${report}`,
      ]);
      expectSuccess('system-checks compose, deploy and docker specs', result);
      const tests = (
        JSON.parse(readFileSync(report, 'utf8')) as { testResults: { assertionResults: { fullName: string; status: string }[] }[] }
      ).testResults.flatMap((file) => file.assertionResults);
      expect(tests.filter((t) => t.status === 'failed')).toEqual([]);
      const aboutService = tests.filter((t) => t.status === 'passed' && t.fullName.includes(SERVICE)).map((t) => t.fullName);
      for (const check of ['docker-compose.yml environment of', 'INTERNAL_PORT', 'probes ask', 'NetworkPolicy', 'has what the image copies']) {
        expect({ check, found: aboutService.some((name) => name.includes(check)) }).toEqual({ check, found: true });
      }
    },
    5 * MINUTE,
  );

  it(
    'has an init migration that gives exactly its schema, with the messaging tables verbatim (libs/testing migrations spec)',
    async () => {
      const result = await run(clone, 'npx', [
        'jest',
        '-c',
        'libs/testing/jest.config.cts',
        'libs/testing/test/migrations.spec.ts',
        '--testNamePattern',
        SERVICE,
      ]);
      expectSuccess('migrations.spec.ts', result);
      expect(result.output).toMatch(/Tests:\s+.*2 passed/);
    },
    2 * MINUTE,
  );

  it(
    "keeps the gateway's permission map spec green with the stub (a resource no role holds)",
    async () => {
      const result = await run(clone, 'npx', ['jest', '-c', 'apps/api-gateway/jest.config.cts', 'apps/api-gateway/src/authz/permissions.spec.ts']);
      expectSuccess('permissions.spec.ts', result);
      expect(readFileSync(join(clone, 'apps/api-gateway/src/edge/services.ts'), 'utf8')).toContain(`'${SERVICE}'`);
    },
    2 * MINUTE,
  );
});
