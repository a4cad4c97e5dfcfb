import { Tree } from '@nx/devkit';
import { ServiceNames } from '../service-names';
import { editFile } from './edit-file';

const INDEX = 'libs/contracts/src/index.ts';

/** libs/contracts/src/lib/<name>.ts (from the templates) exported with the other services' messages. */
export function exportContracts(tree: Tree, { name }: ServiceNames): void {
  editFile(tree, INDEX, `export ./lib/${name}`, (text) => `${text.replace(/\n*$/, '\n')}export * from './lib/${name}';\n`);
}
