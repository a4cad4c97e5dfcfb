import { parse } from 'yaml';
import { readWorkspaceFile } from './workspace';

export interface ComposeHealthcheck {
  test?: string | string[];
  disable?: boolean;
  [key: string]: unknown;
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: unknown;
  ports?: unknown[];
  volumes?: unknown[];
  healthcheck?: ComposeHealthcheck;
  depends_on?: string[] | Record<string, { condition: string }>;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

export const COMPOSE_PATH = 'docker-compose.yml';

/** The compose file as Compose reads it: YAML 1.1 merge keys (`<<: *anchor`) resolved. */
export function parseCompose(text: string): ComposeFile {
  return parse(text, { merge: true, prettyErrors: true }) as ComposeFile;
}

export function readCompose(): ComposeFile {
  return parseCompose(readWorkspaceFile(COMPOSE_PATH));
}

/** A service's `environment`, map or list form, as written (not interpolated). */
export function rawEnvironment(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** The service's build args, map or list form. */
export function buildArgs(service: ComposeService): Record<string, string> {
  if (!service.build || typeof service.build === 'string') return {};
  const args = service.build.args ?? {};
  if (!Array.isArray(args)) return args;
  return Object.fromEntries(args.map((entry) => entry.split('=', 2) as [string, string]));
}

export class InterpolationError extends Error {
  override readonly name = 'InterpolationError';
}

const REFERENCE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Compose's variable interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` (not nested).
 * A missing required variable throws, as `docker compose` refuses to start.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(REFERENCE, (match, braced?: string, op?: string, arg = '', bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const current = env[name];
    const set = current !== undefined;
    const nonEmpty = set && current !== '';
    switch (op) {
      case ':-':
        return nonEmpty ? current : arg;
      case '-':
        return set ? current : arg;
      case ':?':
      case '?':
        if (op === ':?' ? nonEmpty : set) return current as string;
        throw new InterpolationError(`required variable ${name} is missing a value: ${arg}`);
      case ':+':
        return nonEmpty ? arg : '';
      case '+':
        return set ? arg : '';
      default:
        return current ?? '';
    }
  });
}

/** Variables a value requires (`${VAR:?...}` / `${VAR?...}`). */
export function requiredVariables(value: string): string[] {
  return [...value.matchAll(REFERENCE)].filter((m) => m[2] === ':?' || m[2] === '?').map((m) => m[1]);
}

/** The services built from our Dockerfile (build arg APP): the apps, by service name -> APP. */
export function appServices(compose: ComposeFile): Record<string, string> {
  return Object.fromEntries(
    Object.entries(compose.services)
      .filter(([, service]) => buildArgs(service)['APP'] !== undefined)
      .map(([name, service]) => [name, buildArgs(service)['APP']]),
  );
}
