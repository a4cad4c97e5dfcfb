import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * Jest loads global set-up and tear-down with Node's own resolver, not the workspace's: map the
 * `@crm/*` paths as tsconfig.base.json does before anything imports them.
 */
const root = join(__dirname, '../../../../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
register({ baseUrl: root, paths: compilerOptions.paths });
