import { Tree } from '@nx/devkit';

/** As @crm/config's serviceConfigShape: a service's internal port is its port + 6000 by default. */
export const INTERNAL_PORT_OFFSET = 6000;
/** Services listen on 31xx (the gateway on 3000). */
const FIRST_SERVICE_PORT = 3101;

/** The default ports of the existing apps: `serviceConfigShape(<port>)` in apps/<app>/src/app.config.ts. */
export function portsInUse(tree: Tree): number[] {
  return tree
    .children('apps')
    .map((app) => `apps/${app}/src/app.config.ts`)
    .filter((file) => tree.exists(file))
    .flatMap((file) => [...(tree.read(file, 'utf-8') ?? '').matchAll(/serviceConfigShape\((\d+)\)/g)].map((m) => Number(m[1])));
}

/** The port asked for (refused when another app has it), else the one after the highest service port. */
export function servicePort(tree: Tree, asked?: number): number {
  const used = portsInUse(tree);
  if (asked !== undefined) {
    if (!Number.isInteger(asked) || asked < 1024 || asked + INTERNAL_PORT_OFFSET > 65535)
      throw new Error(`--port ${asked}: must be 1024-${65535 - INTERNAL_PORT_OFFSET}`);
    if (used.includes(asked)) throw new Error(`--port ${asked} is another app's port (in use: ${used.sort().join(', ')})`);
    return asked;
  }
  return Math.max(FIRST_SERVICE_PORT - 1, ...used.filter((p) => p >= FIRST_SERVICE_PORT && p < 4000)) + 1;
}
