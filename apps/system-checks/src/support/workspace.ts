import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@crm/testing';

export const ROOT = workspaceRoot();

/** This project: lives in apps/ but is not a service, so it is never deployed nor started. */
export const SYSTEM_CHECKS_PROJECT = 'system-checks';

interface ProjectJson {
  name?: string;
  projectType?: string;
  tags?: string[];
}

/**
 * Every deployable service: apps/<name>/project.json of an application tagged `type:app`.
 * The same rule as tools/start-all.sh, so a new app is started, composed and deployed alike.
 */
export function appNames(): string[] {
  const appsDir = join(ROOT, 'apps');
  return readdirSync(appsDir)
    .filter((name) => name !== SYSTEM_CHECKS_PROJECT)
    .filter((name) => {
      const file = join(appsDir, name, 'project.json');
      if (!existsSync(file)) return false;
      const project = JSON.parse(readFileSync(file, 'utf8')) as ProjectJson;
      return project.projectType === 'application' && (project.tags ?? []).includes('type:app');
    })
    .sort();
}

/** `api-gateway` -> `API_GATEWAY`: the prefix of an app's own variables (API_GATEWAY_DATABASE_URL). */
export function envPrefix(app: string): string {
  return app.replace(/-/g, '_').toUpperCase();
}

export function readWorkspaceFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}
