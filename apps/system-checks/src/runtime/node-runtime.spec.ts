import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Node 20 is past end of life; the project brings Node 24 itself (the `node` dev dependency puts
// it first on every npm script's PATH), and every file that names a runtime must agree.
const root = join(__dirname, '../../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

describe('the Node runtime', () => {
  it('runs these tests on Node 24', () => {
    expect(major(process.versions.node)).toBe(24);
  });

  it('is Node 24 in engines, .nvmrc, the node dev dependency and the Dockerfile', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.engines.node).toMatch(/^>=24\.\d+ <25$/);
    expect(major(read('.nvmrc').trim())).toBe(24);
    expect(major(pkg.devDependencies.node)).toBe(24);
    const image = /ARG NODE_IMAGE=node:(\S+)/.exec(read('Dockerfile'))?.[1] ?? '';
    expect(major(image)).toBe(24);
  });
});
