import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix } from 'node:path';
import { Stage, commandLine, copies, parseDockerfile, workdir } from '../support/dockerfile';

/** Where a path of the runtime image comes from on this machine, for one app. */
export interface ImageLayout {
  workdir: string;
  /** image path -> host path (files or folders, as COPY placed them). */
  mounts: { image: string; host: string; stage?: string }[];
}

/** Source stages whose `/repo` is this workspace after `npm ci` + `nx build <app>`. */
const WORKSPACE_STAGES = ['build', 'prod-deps'];

export function runtimeStage(dockerfile: string): Stage {
  const stages = parseDockerfile(dockerfile);
  return stages[stages.length - 1];
}

/** The runtime stage's files, mapped to the workspace with APP=app. */
export function imageLayout(dockerfile: string, app: string, root: string): ImageLayout {
  const stage = runtimeStage(dockerfile);
  const dir = workdir(stage);
  const mounts = copies(stage).flatMap((copy) =>
    copy.sources.map((source) => {
      const hostPath = source.replace(/\$\{APP\}|\$APP\b/g, app).replace(/^\/repo\/?/, '');
      const dest = posix.resolve(dir, copy.dest.replace(/\$\{APP\}/g, app));
      // `COPY dir ./` puts the folder's contents in ./; `COPY file ./name` names the file.
      return { image: dest, host: join(root, hostPath), stage: copy.from };
    }),
  );
  return { workdir: dir, mounts };
}

/** The host file an absolute image path resolves to (longest mount first), or undefined. */
export function hostPathOf(layout: ImageLayout, imagePath: string): string | undefined {
  const mount = [...layout.mounts]
    .sort((a, b) => b.image.length - a.image.length)
    .find((m) => imagePath === m.image || imagePath.startsWith(m.image.endsWith('/') ? m.image : `${m.image}/`));
  if (!mount) return undefined;
  return join(mount.host, posix.relative(mount.image, imagePath));
}

/** Files CMD hands to node (`node <file>`, `--require <file>`), as absolute image paths. */
export function filesCmdRuns(dockerfile: string): string[] {
  const stage = runtimeStage(dockerfile);
  const script = commandLine(stage) ?? '';
  const files = [...script.matchAll(/(?:\bnode|--require)\s+(?!-)([^\s'"&;]+)/g)].map((m) => m[1]);
  return files.map((file) => posix.resolve(workdir(stage), file));
}

/**
 * Problems with the runtime stage for one app: files CMD runs that the image would not have
 * (after `nx build <app>`), copies from stages other than the workspace ones, other apps' files.
 */
export function layoutProblems(dockerfile: string, app: string, root: string): string[] {
  const stage = runtimeStage(dockerfile);
  const problems: string[] = [];
  const layout = imageLayout(dockerfile, app, root);
  for (const copy of copies(stage)) {
    if (!copy.from) problems.push(`runtime COPY ${copy.sources.join(' ')} takes files from the build context; copy built files from a stage`);
    else if (!WORKSPACE_STAGES.includes(copy.from)) problems.push(`runtime COPY --from=${copy.from}: unknown stage`);
    for (const source of copy.sources) {
      if (/\/apps\//.test(source) && !/\/apps\/\$\{APP\}/.test(source)) problems.push(`runtime COPY ${source}: not the app's own folder (use \${APP})`);
    }
  }
  for (const file of filesCmdRuns(dockerfile)) {
    const host = hostPathOf(layout, file);
    if (!host) problems.push(`CMD runs ${file}, which no COPY puts in the image`);
    else if (!existsSync(host)) problems.push(`CMD runs ${file}, copied from ${host}, which does not exist`);
  }
  if (!filesCmdRuns(dockerfile).some((f) => f.endsWith('/main.js'))) problems.push('CMD does not run main.js');
  return problems;
}

/** Packages a webpack bundle loads at run time (its externals), without node's built-ins. */
export function bundleExternals(bundle: string): { packages: string[]; relative: string[] } {
  const specs = [...new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))];
  const relative = specs.filter((s) => s.startsWith('.') || s.startsWith('/'));
  const packages = specs
    .filter((s) => !relative.includes(s) && !isBuiltin(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
  return { packages: [...new Set(packages)].sort(), relative };
}

interface LockPackage {
  version?: string;
  dev?: boolean;
}

/** Installed by `npm ci --omit=dev`: in the lockfile and not marked dev. */
export function productionPackages(root: string): Map<string, LockPackage> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
  return new Map(
    Object.entries(lock.packages)
      .filter(([path, pkg]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !pkg.dev)
      .map(([path, pkg]) => [path.slice('node_modules/'.length), pkg]),
  );
}
