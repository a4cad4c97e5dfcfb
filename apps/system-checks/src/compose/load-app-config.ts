import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/workspace';

export type LoadResult = { ok: true; config: Record<string, unknown> } | { ok: false; message: string };

// Runs in a child node with @swc-node/register: the app's own app.config.ts loads `env` through
// AppConfig.load (libs/config: throws a ConfigError naming each bad variable). A child process,
// so this project never imports app code (module boundaries) and process.env is not consulted.
const LOADER = `
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const { AppConfig } = require(input.module);
const load = (env) => {
  try { return { ok: true, config: AppConfig.load(env) }; }
  catch (error) { return { ok: false, message: error && error.message ? error.message : String(error) }; }
};
process.stdout.write('\\n@@config ' + JSON.stringify({ given: load(input.env), defaults: load({}) }) + '\\n');
`;

/** The app's config loaded from exactly `env`, and from an empty environment (its defaults). */
export function loadAppConfig(app: string, env: Record<string, string>): { given: LoadResult; defaults: LoadResult } {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', LOADER], {
    cwd: ROOT,
    input: JSON.stringify({ module: `./apps/${app}/src/app.config.ts`, env }),
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], SWC_NODE_PROJECT: `apps/${app}/tsconfig.app.json` },
  });
  const line = result.stdout.split('\n').find((l) => l.startsWith('@@config '));
  if (result.status !== 0 || !line) {
    throw new Error(`${app}: could not load apps/${app}/src/app.config.ts (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return JSON.parse(line.slice('@@config '.length));
}
