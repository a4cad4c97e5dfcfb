import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The Nx workspace root (the folder holding nx.json), found from this file's location. */
export function workspaceRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`@crm/testing: no nx.json above ${__dirname}`);
    dir = up;
  }
  root = dir;
  return dir;
}
