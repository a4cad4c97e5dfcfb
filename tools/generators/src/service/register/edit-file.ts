import { Tree } from '@nx/devkit';

/**
 * Rewrites one file of the workspace. `change` returns the new text, or undefined when the file
 * no longer has the shape it expects: the generator then stops and says what to add by hand,
 * instead of leaving a service half registered without a word.
 */
export function editFile(tree: Tree, path: string, what: string, change: (text: string) => string | undefined): void {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} is missing: cannot ${what}`);
  const changed = change(text);
  if (changed === undefined)
    throw new Error(`${path} no longer looks as the service generator expects: cannot ${what} (do it by hand, then fix tools/generators)`);
  tree.write(path, changed);
}

/** `text` with `addition` inserted right after the last match of `pattern` (a whole line), or undefined. */
export function insertAfterLastLine(text: string, pattern: RegExp, addition: string): string | undefined {
  const lines = text.split('\n');
  const last = lines
    .map((line, i) => (pattern.test(line) ? i : -1))
    .filter((i) => i >= 0)
    .pop();
  if (last === undefined) return undefined;
  lines.splice(last + 1, 0, ...addition.replace(/\n$/, '').split('\n'));
  return lines.join('\n');
}
