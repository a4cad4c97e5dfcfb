import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readWorkspaceFile, ROOT } from './workspace';

export const K8S_DIR = 'deploy/k8s';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = { kind: string; metadata: { name: string; [key: string]: any }; spec?: any; [key: string]: any };

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; [key: string]: unknown };
}

/** Every YAML file under deploy/k8s, by path relative to the workspace. */
export function manifestFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(`${dir}/${entry.name}`) : /\.ya?ml$/.test(entry.name) ? [`${dir}/${entry.name}`] : [],
    );
  return walk(K8S_DIR).sort();
}

/** The objects of one service's manifest, deploy/k8s/<app>/<app>.yaml. */
export function manifestsOf(app: string): Manifest[] {
  const path = `${K8S_DIR}/${app}/${app}.yaml`;
  return parseAllDocuments(readWorkspaceFile(path)).map((doc) => {
    if (doc.errors.length) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Manifest;
  });
}

export function objectOf(app: string, kind: string): Manifest {
  const found = manifestsOf(app).find((m) => m.kind === kind);
  if (!found) throw new Error(`${K8S_DIR}/${app}/${app}.yaml has no ${kind}`);
  return found;
}

/** The Deployment's container of the app (named after it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function containerOf(app: string): any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const container = objectOf(app, 'Deployment').spec.template.spec.containers.find((c: any) => c.name === app);
  if (!container) throw new Error(`${app}: the Deployment has no container named ${app}`);
  return container;
}

export function envOf(app: string): Record<string, EnvVar> {
  return Object.fromEntries((containerOf(app).env as EnvVar[]).map((v) => [v.name, v]));
}
