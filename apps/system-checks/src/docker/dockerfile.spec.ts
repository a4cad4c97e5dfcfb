import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, parseDockerfile } from '../support/dockerfile';
import { ROOT, appNames, readWorkspaceFile } from '../support/workspace';
import { bundleExternals, layoutProblems, productionPackages, runtimeStage } from './runtime-image';

// No Docker engine here: the Dockerfile is checked as text, against what `nx build <app>` really
// produces in dist/apps/<app> and what `npm ci --omit=dev` installs (the lockfile).
const BUILT_APP = 'analytics';
const dockerfile = readWorkspaceFile('Dockerfile');
const stages = parseDockerfile(dockerfile);
const runtime = runtimeStage(dockerfile);
const buildStage = stages.find((s) => s.name === 'build');

describe('Dockerfile', () => {
  it('builds any app: ARG APP in the build and runtime stages, `nx build ${APP}`', () => {
    expect(buildStage).toBeDefined();
    for (const stage of [buildStage, runtime]) {
      expect(stage?.instructions).toContainEqual({ keyword: 'ARG', args: 'APP' });
    }
    expect(
      buildStage?.instructions
        .filter((i) => i.keyword === 'RUN')
        .map((i) => i.args)
        .join('\n'),
    ).toMatch(/nx build \$\{APP\}/);
  });

  it("gives node a young generation of 32 MiB semi-spaces: capped lower, a request's objects are promoted (the gateway's CPU per request 10-45% more, bench/results/idle-rss.md)", () => {
    const nodeOptions = runtime.instructions
      .filter((i) => i.keyword === 'ENV')
      .map((i) => /NODE_OPTIONS="([^"]*)"/.exec(i.args)?.[1])
      .filter((value) => value !== undefined);
    expect(nodeOptions).toHaveLength(1);
    const semiSpace = /--max-semi-space-size=(\d+)/.exec(nodeOptions[0] ?? '')?.[1];
    expect({ semiSpaceMiB: Number(semiSpace ?? 'V8 default'), exposeGc: nodeOptions[0]?.split(' ').includes('--expose-gc') }).toEqual({ semiSpaceMiB: 32, exposeGc: true });
  });

  it('runs as a non-root user', () => {
    const users = runtime.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
    const userAt = runtime.instructions.findIndex((i) => i.keyword === 'USER');
    expect(runtime.instructions.findIndex((i) => i.keyword === 'CMD')).toBeGreaterThan(userAt);
  });

  it('copies into the runtime image only the app dist, its Prisma folder and config, and production node_modules', () => {
    const sources = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args.replace(/--chown=\S+\s+/, ''));
    expect(sources).toEqual([
      '--from=prod-deps /repo/node_modules ./node_modules',
      '--from=build /repo/dist/apps/${APP} ./',
      '--from=build /repo/apps/${APP}/prisma ./prisma',
      '--from=build /repo/apps/${APP}/prisma.config.ts ./prisma.config.ts',
      '--from=build /repo/tools/db/prisma-preload.js ./prisma-preload.js',
    ]);
    const prodDeps = stages.find((s) => s.name === 'prod-deps');
    expect(
      prodDeps?.instructions
        .filter((i) => i.keyword === 'RUN')
        .map((i) => i.args)
        .join('\n'),
    ).toMatch(/npm ci --omit=dev/);
  });

  it('runs the Prisma CLI from production dependencies (npm ci --omit=dev installs it)', () => {
    expect(commandLine(runtime)).toContain('node_modules/prisma/build/index.js migrate deploy');
    const prod = productionPackages(ROOT);
    expect(prod.has('prisma')).toBe(true);
    // The CLI must match the client it migrates for.
    expect(prod.get('prisma')?.version).toBe(prod.get('@prisma/client')?.version);
  });

  it.each(appNames())('%s has what the image copies from the sources (prisma folder, prisma.config.ts)', (app) => {
    for (const path of [`apps/${app}/prisma/schema.prisma`, `apps/${app}/prisma/migrations`, `apps/${app}/prisma.config.ts`, 'tools/db/prisma-preload.js']) {
      expect({ app, path, exists: existsSync(join(ROOT, path)) }).toEqual({ app, path, exists: true });
    }
  });

  it('the layout check can fail: CMD pointing at a file the build does not produce', () => {
    const broken = dockerfile
      .replace('exec node main.js', 'exec node dist/main.js')
      .replace('/repo/apps/${APP}/prisma ./prisma', '/repo/apps/contacts/prisma ./prisma');
    expect(layoutProblems(broken, BUILT_APP, ROOT)).toEqual([
      "runtime COPY /repo/apps/contacts/prisma: not the app's own folder (use ${APP})",
      `CMD runs /app/dist/main.js, copied from ${join(ROOT, 'dist/apps', BUILT_APP, 'dist/main.js')}, which does not exist`,
    ]);
  });

  describe(`after \`nx build ${BUILT_APP}\` (the build stage's command)`, () => {
    let bundle: string;

    beforeAll(() => {
      // The same command as the build stage, APP substituted; nx's cache makes a repeat instant.
      const run = buildStage?.instructions
        .filter((i) => i.keyword === 'RUN')
        .map((i) => i.args)
        .find((args) => /nx build/.test(args));
      const command = /npx nx build \$\{APP\}[^&;]*/.exec(run ?? '')?.[0].replace('${APP}', BUILT_APP) as string;
      const result = spawnSync('bash', ['-c', command], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
      if (result.status !== 0) throw new Error(`\`${command}\` failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
      bundle = readFileSync(join(ROOT, 'dist/apps', BUILT_APP, 'main.js'), 'utf8');
    }, 300_000);

    it('every file CMD runs exists where the runtime stage copies it from', () => {
      expect(layoutProblems(dockerfile, BUILT_APP, ROOT)).toEqual([]);
    });

    it('main.js bundles the app and its generated Prisma client; it loads only production packages', () => {
      const { packages, relative } = bundleExternals(bundle);
      expect(relative).toEqual([]);
      expect(bundle).not.toMatch(/require\("[^"]*generated\/prisma/);
      expect(bundle).toContain('"inlineSchema"'); // the generated client, compiled into the bundle
      const prod = productionPackages(ROOT);
      expect(packages.filter((name) => !prod.has(name))).toEqual([]);
      expect(packages).toContain('@prisma/client');
    });
  });
});

describe('.dockerignore', () => {
  const patterns = readWorkspaceFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it.each(['node_modules', 'dist', '.git', '**/generated/prisma', '.env'])('excludes %s', (pattern) => {
    expect(patterns).toContain(pattern);
  });
});
