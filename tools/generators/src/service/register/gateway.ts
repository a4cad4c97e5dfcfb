import { Tree } from '@nx/devkit';
import { ServiceNames } from '../service-names';
import { editFile } from './edit-file';

const KNOWN_SERVICES_FILE = 'apps/api-gateway/src/edge/services.ts';
const PERMISSIONS_FILE = 'apps/api-gateway/src/authz/permissions.ts';

/** The gateway may address the service by name (diagnostics echo, parked messages). */
export function addKnownService(tree: Tree, { name }: ServiceNames): void {
  editFile(tree, KNOWN_SERVICES_FILE, `add '${name}' to KNOWN_SERVICES`, (text) => {
    const list = /(export const KNOWN_SERVICES = \[)([^\]]*)(\] as const)/.exec(text);
    if (!list) return undefined;
    const entries = list[2].trim().replace(/,$/, '');
    return text.replace(list[0], `${list[1]}${entries ? `${entries}, ` : ''}'${name}'${list[3]}`);
  });
}

/**
 * A resource for the service's routes in the permission map, held by no role yet: deny by
 * default until someone decides who may do what (grant it in PERMISSIONS when routes come).
 */
export function addPermissionStub(tree: Tree, { name }: ServiceNames): void {
  editFile(tree, PERMISSIONS_FILE, `add the resource '${name}' to RESOURCES`, (text) => {
    const list = /export const RESOURCES = \[\n([\s\S]*?)\] as const;/.exec(text);
    if (!list) return undefined;
    const lines = list[1].split('\n');
    // Before the platform operator's own resources (a comment line), else at the end.
    const at = lines.findIndex((line) => /^\s*\/\//.test(line));
    const entry = [`  // ${name}: held by no role until the service has routes (grant it in PERMISSIONS).`, `  '${name}',`];
    lines.splice(at < 0 ? lines.length - 1 : at, 0, ...entry);
    return text.replace(list[1], lines.join('\n'));
  });
}
